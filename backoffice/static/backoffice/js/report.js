/* Stadtmelder – back-office work screen: answer templates fill the public note (and preselect
   their status), and a rectangle drawn with the mouse on a photo fills the blur form's
   percentages. Both are shortcuts: the select with "Vorlage einfügen" and the number fields
   work without this script and with the keyboard. */
(function () {
  "use strict";
  // --- answer templates -------------------------------------------------------------
  var dataEl = document.getElementById("templates-data");
  var templates = dataEl ? JSON.parse(dataEl.textContent) : {};
  var select = document.getElementById("id_status-template");
  var note = document.getElementById("id_status-note_public");
  var statusSelect = document.getElementById("id_status-status");
  var live = document.getElementById("template-status");
  if (select && note) {
    select.addEventListener("change", function () {
      var t = templates[select.value];
      if (!t) return;
      note.value = t.text;
      if (t.status && statusSelect && statusSelect.querySelector('option[value="' + t.status + '"]')) {
        statusSelect.value = t.status;
      }
      if (live) live.textContent = live.getAttribute("data-filled");
    });
  }

  // --- blur rectangle ---------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll(".blur-canvas"), function (canvas) {
    var prefix = canvas.getAttribute("data-blur-prefix");
    var img = canvas.querySelector("img");
    var rect = canvas.querySelector(".blur-rect");
    var start = null;
    function field(name) { return document.getElementById("id_" + prefix + "-" + name); }
    function pos(ev) {
      var box = img.getBoundingClientRect();
      return { x: Math.min(Math.max((ev.clientX - box.left) / box.width, 0), 1),
               y: Math.min(Math.max((ev.clientY - box.top) / box.height, 0), 1) };
    }
    function draw(a, b) {
      var l = Math.min(a.x, b.x), t = Math.min(a.y, b.y), r = Math.max(a.x, b.x), btm = Math.max(a.y, b.y);
      rect.hidden = false;
      rect.style.left = l * 100 + "%"; rect.style.top = t * 100 + "%";
      rect.style.width = (r - l) * 100 + "%"; rect.style.height = (btm - t) * 100 + "%";
      return [l, t, r, btm];
    }
    canvas.addEventListener("pointerdown", function (ev) { start = pos(ev); ev.preventDefault(); });
    canvas.addEventListener("pointermove", function (ev) { if (start) draw(start, pos(ev)); });
    window.addEventListener("pointerup", function (ev) {
      if (!start) return;
      var v = draw(start, pos(ev));
      start = null;
      if (v[2] - v[0] < 0.01 || v[3] - v[1] < 0.01) { rect.hidden = true; return; }
      ["left", "top", "right", "bottom"].forEach(function (name, i) {
        var input = field(name);
        if (input) input.value = (v[i] * 100).toFixed(1);
      });
      var whole = field("whole");
      if (whole) whole.checked = false;
    });
  });
})();
