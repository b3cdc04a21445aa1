/* Stadtmelder – shared page script: the header's menu button, service worker registration and
   connection status. Everything here is an enhancement; every page works without JavaScript. */
(function () {
  "use strict";

  // Header menu on phones: a disclosure button (WAI-ARIA APG "Disclosure"). app.css collapses the menu
  // under html.js and shows the button; Enter and Space come with <button>, Escape closes the menu from
  // anywhere in the header and puts the focus back on the button.
  var header = document.getElementById("site-header");
  var toggle = document.getElementById("menu-toggle");
  if (header && toggle) {
    var setOpen = function (open) {
      header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      if (toggle.offsetWidth > 0) toggle.focus();  // not on wide screens, where the button is hidden
    });
  }

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* PWA is optional */ });
    });
  }
  var status = document.getElementById("connection-status");
  function update() {
    if (!status) return;
    if (navigator.onLine) {
      status.hidden = true;
      status.textContent = "";
    } else {
      status.hidden = false;
      status.textContent = status.getAttribute("data-offline");
    }
  }
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
})();
