/* Jiuye workbench: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Identity number on the person page: masked by default, full number on request.
  document.querySelectorAll("[data-toggle-id]").forEach(function (button) {
    var box = button.parentElement;
    var masked = box.querySelector("[data-id-masked]");
    var full = box.querySelector("[data-id-full]");
    var showLabel = button.textContent;
    button.addEventListener("click", function () {
      var showing = !full.hidden;
      full.hidden = showing;
      masked.hidden = !showing;
      button.textContent = showing ? showLabel : button.getAttribute("data-hide-label");
    });
  });

  // Correction form: the replacement fields only matter when correcting, not when voiding.
  document.querySelectorAll("[data-correction-form]").forEach(function (form) {
    var fieldset = form.querySelector("[data-replacement]");
    function sync() {
      var checked = form.querySelector("input[name=mode]:checked");
      fieldset.disabled = checked && checked.value === "void";
    }
    form.querySelectorAll("input[name=mode]").forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  });

  // Confirmation for destructive forms.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
