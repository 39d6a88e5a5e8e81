/* Rehab editors: the indstilling form shows the content fields of the chosen outcome.
   Without JavaScript every group is visible (progressive enhancement). */
(function () {
  "use strict";

  function opdater(form) {
    var valg = form.querySelector("select[name='udfald']");
    if (!valg) {
      return;
    }
    var udfald = valg.value;
    form.querySelectorAll("fieldset[data-udfald]").forEach(function (gruppe) {
      var passer = !udfald || gruppe.getAttribute("data-udfald").split(" ").indexOf(udfald) !== -1;
      gruppe.hidden = !passer;
    });
  }

  // Narrative text areas grow with the text. Browsers with CSS field-sizing do it themselves
  // (rehab.css); the others get their height set from the content (CSSOM, allowed by the CSP).
  function voks(felt) {
    felt.style.height = "auto";
    felt.style.height = felt.scrollHeight + 2 + "px";
  }

  function vokseFelter() {
    if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) {
      return;
    }
    document.querySelectorAll(".rehab-formular textarea.form-input").forEach(function (felt) {
      if (/input-width-/.test(felt.className)) {
        return;
      }
      voks(felt);
      felt.addEventListener("input", function () {
        voks(felt);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    vokseFelter();
    document.querySelectorAll("form[data-rehab-indstilling]").forEach(function (form) {
      opdater(form);
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name === "udfald") {
          opdater(form);
        }
      });
    });
  });
})();
