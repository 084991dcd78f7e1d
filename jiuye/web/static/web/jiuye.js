/* Jiuye workbench: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Phones: the navigation collapses behind the menu button (the stylesheet shows it when this file is absent).
  document.documentElement.classList.add("js");
  document.querySelectorAll("[data-nav-toggle]").forEach(function (button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  });

  // Identity number on the person page: masked by default; the full number is asked of the server on
  // request (each request is recorded in the audit log), never sent with the page.
  document.querySelectorAll("[data-toggle-id]").forEach(function (button) {
    var box = button.parentElement;
    var masked = box.querySelector("[data-id-masked]");
    var full = box.querySelector("[data-id-full]");
    var showLabel = button.textContent;
    function show(showing) {
      full.hidden = !showing;
      masked.hidden = showing;
      button.textContent = showing ? button.getAttribute("data-hide-label") : showLabel;
    }
    button.addEventListener("click", function () {
      if (!full.hidden) { full.textContent = ""; show(false); return; }
      button.disabled = true;
      fetch(button.getAttribute("data-url"), {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": button.getAttribute("data-csrf"), "X-Requested-With": "XMLHttpRequest"}
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        full.textContent = data.id_number;
        show(true);
      }).catch(function () {
        window.alert(button.getAttribute("data-error-label"));
      }).then(function () { button.disabled = false; });
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
