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

  document.addEventListener("DOMContentLoaded", function () {
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
