/* Portal: disable a once-only form's button after the first submit (the server also deduplicates). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-once]"), function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
        window.setTimeout(function () { b.disabled = true; b.setAttribute("aria-busy", "true"); }, 0);
      });
    });
  });
})();
