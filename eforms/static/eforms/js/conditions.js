/* Conditional fields of eforms: hide a field while its condition does not hold.
   Without this script every field is shown with its note "Nur ausfüllen, wenn …"; the
   server ignores fields whose condition does not hold either way. */
(function () {
  "use strict";
  function valuesOf(form, name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values.push(el.type === "checkbox" && el.value === "on" ? "true" : el.value); }
        else if (el.type === "checkbox" && el.value === "on") { values.push("false"); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push(o.value); });
      } else { values.push(el.value); }
    });
    return values;
  }
  function update(form) {
    var changed = true, rounds = 0;
    while (changed && rounds < 5) {  // a condition may depend on a field that is itself conditional
      changed = false; rounds += 1;
      form.querySelectorAll("[data-show-if-name]").forEach(function (box) {
        var expected = JSON.parse(box.getAttribute("data-show-if-values"));
        var control = form.querySelector("[data-field-name='" + box.getAttribute("data-show-if-name") + "']");
        var visible = !(control && control.hidden) && valuesOf(form, box.getAttribute("data-show-if-name"))
          .some(function (v) { return expected.indexOf(v) !== -1; });
        if (box.hidden === visible) { box.hidden = !visible; changed = true; }
        var note = box.querySelector(".condition-note");
        if (note) { note.hidden = true; }
      });
    }
  }
  document.querySelectorAll("form.eform").forEach(function (form) {
    update(form);
    form.addEventListener("change", function () { update(form); });
  });
})();
