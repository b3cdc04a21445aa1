/* Stadtmelder – open data portal. Everything here is an enhancement; the pages work without it:
   - on wide screens the filter panel of the dataset search starts open (phones: closed);
   - "copy" buttons next to the API examples.
   The dataset page's map preview is dataset_map.mjs. */
(function () {
  "use strict";

  var panel = document.getElementById("facet-panel");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) panel.open = true;

  // --- copy buttons ------------------------------------------------------------
  var examples = document.querySelector(".api-example-list");
  var copyStatus = document.getElementById("copy-status");
  if (examples && navigator.clipboard) {
    Array.prototype.forEach.call(examples.querySelectorAll(".api-example"), function (item) {
      var code = item.querySelector("pre code");
      var label = item.querySelector(".api-example-label");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary copy-button";
      button.textContent = examples.dataset.tCopy;
      button.setAttribute("aria-label", examples.dataset.tCopy + ": " + label.textContent);
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent).then(function () {
          if (copyStatus) copyStatus.textContent = examples.dataset.tCopied + ": " + label.textContent;
        });
      });
      item.appendChild(button);
    });
  }
})();
