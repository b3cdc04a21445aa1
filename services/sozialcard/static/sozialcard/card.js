// The card's code on the phone, online and offline (services/sozialcard/wallet.py).
// On the device the card is activated on, the key material (card hash, device generation,
// TOTP secret; `geraet.json`, the device cookie required) is kept in localStorage under the
// card's id; the 30-second code is computed here — RFC 6238 with WebCrypto: HMAC-SHA1,
// 6 digits, 30-second steps, the same parameters as codes.py — and the QR code is drawn here
// with qrcode-generator (npm, served by us) into the same <img>, whose alt text stays; the
// code as text below is its text alternative. The cards' service worker keeps page and scripts.
// A page that says the card is not on this device (any more) makes the phone forget the key.
(function () {
  "use strict";
  var forget = document.querySelector("[data-card-forget]");
  if (forget) {  // revoked or no longer valid: the phone keeps no key material of it
    try { window.localStorage.removeItem("sozialcard:card:" + forget.getAttribute("data-card-forget")); } catch (e) { /* storage disabled */ }
  }
  var root = document.getElementById("card-code");
  if (!root) { return; }
  var cardId = root.getAttribute("data-card");
  var storageKey = "sozialcard:card:" + cardId;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: "/konto/karten/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        // Keep this page for offline use (the worker also refreshes it on every visit).
        if (registration.active) { registration.active.postMessage({ keep: window.location.pathname }); }
      })
      .catch(function () { /* offline use is optional */ });
  }

  if (root.getAttribute("data-on-device") !== "true") {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* storage disabled */ }
    return;
  }
  var img = document.getElementById("card-code-image");
  var value = document.getElementById("card-code-value");
  var offlineNote = document.getElementById("card-code-offline");
  var renewLink = document.getElementById("card-code-renew");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }
  function save(device) {
    try { window.localStorage.setItem(storageKey, JSON.stringify(device)); } catch (e) { /* storage full */ }
  }

  // RFC 4648 base32 (the secret as pyotp makes it) to bytes.
  function base32Bytes(text) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    var bits = 0, buffer = 0, out = [];
    text.replace(/=+$/, "").toUpperCase().split("").forEach(function (char) {
      buffer = (buffer << 5) | alphabet.indexOf(char);
      bits += 5;
      if (bits >= 8) { bits -= 8; out.push((buffer >> bits) & 255); }
    });
    return new Uint8Array(out);
  }

  // RFC 6238 TOTP (RFC 4226 dynamic truncation) of the time step `counter`.
  function totp(device, counter) {
    var message = new ArrayBuffer(8);
    var view = new DataView(message);
    view.setUint32(0, Math.floor(counter / 4294967296));
    view.setUint32(4, counter >>> 0);
    return window.crypto.subtle.importKey("raw", base32Bytes(device.secret),
      { name: "HMAC", hash: device.algorithm || "SHA-1" }, false, ["sign"])
      .then(function (key) { return window.crypto.subtle.sign("HMAC", key, message); })
      .then(function (signature) {
        var mac = new Uint8Array(signature);
        var offset = mac[mac.length - 1] & 15;
        var number = ((mac[offset] & 127) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var digits = device.digits || 6;
        return String(number % Math.pow(10, digits)).padStart(digits, "0");
      });
  }

  function draw(text) {
    var qr = window.qrcode(0, "M");
    qr.addData(text);
    qr.make();
    // 5 px per module and a quiet zone of 4 modules (ISO/IEC 18004), as the server draws it.
    var svg = qr.createSvgTag({ cellSize: 5, margin: 20, scalable: true });
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    value.textContent = text;
  }

  var device = load();
  var timer = null;

  function show() {
    if (!device || !window.crypto || !window.crypto.subtle || !window.qrcode) { return; }
    var step = device.step || 30;
    var counter = Math.floor(Date.now() / 1000 / step);
    totp(device, counter).then(function (otp) {
      draw([device.prefix, device.card_hash, device.generation, otp].join("."));
      if (renewLink) { renewLink.hidden = true; }  // the page renews the code itself
    });
    window.clearTimeout(timer);
    timer = window.setTimeout(show, step * 1000 - (Date.now() % (step * 1000)) + 50);
  }

  function onlineState() {
    if (offlineNote) { offlineNote.hidden = navigator.onLine; }
  }
  window.addEventListener("online", onlineState);
  window.addEventListener("offline", onlineState);
  onlineState();

  show();
  fetch(root.getAttribute("data-device-url"), { credentials: "same-origin", cache: "no-store" })
    .then(function (response) {
      if (response.ok) { return response.json(); }
      if (response.status === 404) { return null; }  // no longer this device's card
      throw new Error("HTTP " + response.status);
    })
    .then(function (fresh) {
      if (fresh) { save(fresh); } else { window.localStorage.removeItem(storageKey); }
      device = fresh;
      show();
    })
    .catch(function () { /* offline: the kept key material goes on */ });
})();
