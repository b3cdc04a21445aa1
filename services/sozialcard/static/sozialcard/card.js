// Renews the card's dynamic QR code (an <img> of code.svg) every 30 seconds, the TOTP step
// (RFC 6238), and hides the "show a new code" link that does the same without JavaScript.
(function () {
  "use strict";
  var img = document.getElementById("card-code-image");
  if (!img) { return; }
  var base = img.getAttribute("data-src");
  var step = parseInt(img.getAttribute("data-step"), 10) * 1000;
  var text = document.getElementById("card-code-text");
  var renew = function () {
    img.src = base + "?t=" + Date.now();
    if (text) { text.hidden = true; }  // the typed code would be stale; the link shows a fresh one
  };
  var link = document.getElementById("card-code-renew");
  if (link) { link.hidden = true; }
  window.setTimeout(function tick() {
    renew();
    window.setTimeout(tick, step - (Date.now() % step) + 100);
  }, step - (Date.now() % step) + 100);
})();
