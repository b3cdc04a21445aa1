/* Sozialcard checker: scan a card's QR code with the camera and submit it through the page's
   own form (the check itself is server-side, the same as typing the code). Uses the browser's
   BarcodeDetector where it reads QR codes, else jsQR (npm, served by us; loaded only then).
   Without this script, or without a camera, the typed code works the same. */
(function () {
  "use strict";
  var box = document.getElementById("checker-camera");
  var form = document.getElementById("checker-form");
  var result = document.getElementById("checker-result");
  if (result) result.focus();  // the answer first, for keyboard and screen reader users
  if (!box || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var input = form.querySelector("input[name=code]");
  var scan = document.getElementById("checker-scan");
  var stop = document.getElementById("checker-stop");
  var video = document.getElementById("checker-video");
  var status = document.getElementById("checker-status");
  var d = box.dataset;
  var stream = null, timer = null, canvas = null, detector = null;
  box.hidden = false;

  function say(text) { status.textContent = text; }

  function loadJsQr() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(window.jsQR); return; }
      var script = document.createElement("script");
      script.src = d.jsqrSrc;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function decoder() {
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) throw new Error("no qr_code");
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }).catch(function () { return jsQrDecoder(); });
    }
    return jsQrDecoder();
  }

  function jsQrDecoder() {
    return loadJsQr().then(function (jsQR) {
      canvas = canvas || document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        if (!video.videoWidth) return Promise.resolve(null);
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function end() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
    video.hidden = true;
    stop.hidden = true;
    scan.hidden = false;
  }

  function loop(read) {
    read().then(function (text) {
      if (!stream) return;
      if (text && /^SC1[DS]\./.test(text.trim())) {
        say(d.tFound);
        input.value = text.trim();
        end();
        form.submit();
        return;
      }
      timer = setTimeout(function () { loop(read); }, 200);
    }, function () { timer = setTimeout(function () { loop(read); }, 200); });
  }

  scan.addEventListener("click", function () {
    say(d.tStarting);
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      scan.hidden = true;
      stop.hidden = false;
      stop.focus();
      return video.play().then(decoder).then(function (read) { say(d.tScanning); loop(read); });
    }).catch(function () { end(); say(d.tDenied); input.focus(); });
  });
  stop.addEventListener("click", function () { end(); say(""); scan.focus(); });
  window.addEventListener("pagehide", end);
})();
