/* Forløb pages: after htmx replaces the forløb section (journal note saved or refused), move
   keyboard focus to the error summary or the success message so screen readers announce it. */
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    var target = document.getElementById("forloeb");
    if (!target || !config || String(config.path || "").indexOf("/journalnotat/") === -1) {
      return;
    }
    var fokus = target.querySelector('[data-module="error-summary"]') || target.querySelector("#tidslinje");
    if (fokus) {
      if (!fokus.hasAttribute("tabindex")) {
        fokus.setAttribute("tabindex", "-1");
      }
      fokus.focus();
    }
  });
})();

/* Print views: a button marked data-udskriv opens the browser's print dialog (save as PDF there). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var knap = event.target.closest ? event.target.closest("[data-udskriv]") : null;
    if (knap) {
      event.preventDefault();
      window.print();
    }
  });
})();
