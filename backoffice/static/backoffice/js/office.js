/* Stadtmelder – back office, every page: focus the error summary so screen readers announce it,
   hide the controls that only matter without JavaScript. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  Array.prototype.forEach.call(document.querySelectorAll("[data-nojs-only]"), function (el) {
    el.classList.add("js-hidden");
  });
})();
