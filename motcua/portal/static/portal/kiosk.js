/* Kiosk mode: idle reset, on-screen keypad, printing. No inline scripts (CSP); no external requests. */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) { return; }
  var idle = parseInt(root.getAttribute("data-idle"), 10) || 60;
  /* The reset is a POST with the CSRF token (a GET could be triggered by any other site). */
  var resetForm = document.getElementById(root.getAttribute("data-reset") || "kiosk-reset-form");
  var timer = null;

  function forget() {
    Array.prototype.forEach.call(document.forms, function (f) { f.reset(); });
    Array.prototype.forEach.call(document.querySelectorAll("input:not([type=hidden]), textarea"), function (el) {
      if (el.type === "radio" || el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
    });
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* storage disabled */ }
    if (resetForm) { resetForm.submit(); } else { window.location.replace("/kiosk/"); }
  }
  function arm() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(forget, idle * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true, capture: true });
  });
  arm();

  /* On-screen keypad: buttons type into the input named by data-target. */
  Array.prototype.forEach.call(document.querySelectorAll(".keypad"), function (pad) {
    var input = document.getElementById(pad.getAttribute("data-target"));
    if (!input) { return; }
    pad.addEventListener("click", function (event) {
      var btn = event.target.closest("button");
      if (!btn || !pad.contains(btn)) { return; }
      var key = btn.getAttribute("data-key");
      var action = btn.getAttribute("data-action");
      if (key) {
        input.value += key;
      } else if (action === "back") {
        input.value = input.value.slice(0, -1);
      } else if (action === "clear") {
        input.value = "";
      } else if (btn.hasAttribute("data-mode")) {
        var alpha = pad.querySelector(".keys-alpha");
        var num = pad.querySelector(".keys-num");
        var showAlpha = alpha.hidden;
        alpha.hidden = !showAlpha;
        num.hidden = showAlpha;
        btn.setAttribute("aria-pressed", showAlpha ? "true" : "false");
      }
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  /* Vietnamese on-screen keyboard: letters with their own keys (ă â đ ê ô ơ ư) and tone keys that put the
     tone on the right vowel of the word being typed (a tone pressed again replaces the earlier one). It
     types into the text field of its form that last had the focus. */
  var TONES = { acute: "\u0301", grave: "\u0300", hook: "\u0309", tilde: "\u0303", dot: "\u0323" };
  var TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var VOWELS = "aăâeêioôơuưy";
  function toneVowelIndex(word) {
    /* Where the tone goes in `word` (toneless, NFC): a vowel with a hat or horn wins (ơ over ư); else the
       last vowel of the cluster when a consonant follows it, or "oa/oe/uy"; else the first of two vowels. */
    var lower = word.toLowerCase();
    var start = -1, end = -1;
    for (var i = lower.length - 1; i >= 0; i--) {
      var isVowel = VOWELS.indexOf(lower[i]) >= 0;
      if (isVowel && end < 0) { end = i; }
      if (end >= 0) { if (isVowel) { start = i; } else { break; } }
    }
    if (end < 0) { return -1; }
    if ((lower[start] === "u" && start > 0 && lower[start - 1] === "q") ||
        (lower[start] === "i" && start > 0 && lower[start - 1] === "g" && end > start)) { start += 1; }
    var cluster = lower.slice(start, end + 1);
    var marked = cluster.search(/[ơ]/);
    if (marked < 0) { marked = cluster.search(/[ăâêôư]/); }
    if (marked >= 0) { return start + marked; }
    if (end < lower.length - 1 || cluster.length === 3 || ["oa", "oe", "uy"].indexOf(cluster) >= 0) {
      return cluster.length === 3 ? start + 1 : end;
    }
    return start;
  }
  function applyTone(text, tone) {
    var m = /[^\s.,;:!?()]*$/.exec(text.normalize("NFC"));
    var head = text.normalize("NFC").slice(0, m.index);
    var word = m[0].normalize("NFD").replace(TONE_MARKS, "").normalize("NFC");
    var at = toneVowelIndex(word);
    if (at < 0) { return text; }
    return head + word.slice(0, at) + (word[at] + TONES[tone]).normalize("NFC") + word.slice(at + 1);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".vnkeyboard"), function (kb) {
    var form = document.getElementById(kb.getAttribute("data-form"));
    if (!form) { return; }
    var fields = form.querySelectorAll("textarea, input[type=text], input:not([type])");
    var target = fields[0] || null;
    var shift = false;
    Array.prototype.forEach.call(fields, function (el) {
      el.addEventListener("focus", function () { target = el; });
    });
    kb.addEventListener("click", function (event) {
      var btn = event.target.closest("button");
      if (!btn || !kb.contains(btn) || !target) { return; }
      var key = btn.getAttribute("data-key");
      var tone = btn.getAttribute("data-tone");
      var action = btn.getAttribute("data-action");
      if (key) {
        target.value += shift ? key.toUpperCase() : key;
        if (shift) { shift = false; kb.querySelector("[data-action=shift]").setAttribute("aria-pressed", "false"); }
      } else if (tone) {
        target.value = applyTone(target.value, tone);
      } else if (action === "back") {
        target.value = Array.from(target.value).slice(0, -1).join("");
      } else if (action === "shift") {
        shift = !shift;
        btn.setAttribute("aria-pressed", shift ? "true" : "false");
      }
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  });

  /* Receipt QR codes. A keyboard-wedge scanner types the tracking URL into the focused field and presses
     Enter (the form submits; the server takes the code out of the URL). The focus comes back to that
     field whenever the page is touched elsewhere, so a scan always lands there. With a camera and the
     browser's BarcodeDetector, a button scans the QR code in front of the camera. */
  var scanInput = document.querySelector("[data-scan]");
  if (scanInput) {
    document.addEventListener("pointerup", function (event) {
      if (!event.target.closest("input, textarea, select, button, a")) { scanInput.focus(); }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-camera-scan]"), function (box) {
    var input = document.getElementById(box.getAttribute("data-camera-scan"));
    if (!input || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    box.hidden = false;
    var video = box.querySelector("video");
    box.querySelector("button").addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        function stop() { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; }
        function look() {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stop(); input.value = codes[0].rawValue; input.form.submit(); }
            else if (!video.hidden) { window.requestAnimationFrame(look); }
          }).catch(stop);
        }
        look();
        window.setTimeout(stop, 30000);
      }).catch(function () { box.hidden = true; });
    });
  });

  /* "In phiếu tra cứu": the browser's print dialog with the print stylesheet. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (btn) {
    btn.addEventListener("click", function () { window.print(); });
  });
})();
