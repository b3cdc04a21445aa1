/* Stadtmelder – shared page script: service worker registration and connection status.
   Everything here is an enhancement; every page works without JavaScript. */
(function () {
  "use strict";
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
