/* Sagsforløb: the only first-party script. No inline scripts anywhere (strict CSP later). */
(function () {
  "use strict";

  function initDkfds(scope) {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init(scope ? { scope: scope } : undefined);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    initDkfds();
    // After a failed submit the error summary takes the focus: the user (and a screen reader)
    // starts where the problems are listed, each linked to its field.
    var fejl = document.querySelector('[data-module="error-summary"]');
    if (fejl) {
      fejl.focus();
    }
  });

  // Content swapped in by htmx gets the DKFDS behaviour too (error summary focus, alerts, ...).
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target) {
      initDkfds(event.detail.target);
    }
  });
})();
