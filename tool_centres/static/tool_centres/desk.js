/* The desk, enhanced: keep the scan field focused, scan with the phone camera, print buttons.
   Everything works without this file (plain forms); it only saves keystrokes and taps. */
(function () {
  "use strict";

  var field = document.querySelector("[data-scan-field]");
  var form = document.getElementById("scan-form");

  // A keyboard-wedge scanner types into whatever has focus: give it the scan field whenever
  // nothing else asked for focus (a check-in's condition, an error's field).
  if (field && !document.querySelector("[autofocus]:not([data-scan-field])")) {
    field.focus();
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var camera = document.querySelector("[data-camera]");
  if (!camera || !form || !field || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  camera.hidden = false;
  var start = camera.querySelector("[data-camera-start]");
  var stop = camera.querySelector("[data-camera-stop]");
  var video = camera.querySelector("[data-camera-video]");
  var status = camera.querySelector("[data-camera-status]");
  var stream = null;
  var detect = null;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var script = document.createElement("script");
      script.src = camera.getAttribute("data-jsqr");
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeDetector() {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "code_39", "ean_13"] });
      return Promise.resolve(function () {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      });
    }
    return loadJsQR().then(function () {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        if (!canvas.width) { return Promise.resolve(null); }
        context.drawImage(video, 0, 0);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    field.focus();
  }

  function tick() {
    if (!stream) { return; }
    detect().then(function (code) {
      if (code) {
        field.value = code.trim();
        stopCamera();
        form.submit();
      } else {
        window.requestAnimationFrame(tick);
      }
    }).catch(function () { window.requestAnimationFrame(tick); });
  }

  start.addEventListener("click", function () {
    status.textContent = "";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        return video.play().then(makeDetector);
      })
      .then(function (fn) { detect = fn; tick(); })
      .catch(function () {
        status.textContent = camera.getAttribute("data-error") || "";
        stopCamera();
      });
  });
  stop.addEventListener("click", stopCamera);
}());
