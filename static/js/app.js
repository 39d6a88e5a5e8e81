/* Sagsforløb: the only first-party script. No inline scripts anywhere (strict CSP later). */
(function () {
  "use strict";

  function initDkfds(scope) {
    if (!window.DKFDS || typeof window.DKFDS.init !== "function") {
      return;
    }
    if (!scope) {
      window.DKFDS.init();
      return;
    }
    // DKFDS.init always sets up the main menu again, whatever the scope: each call would add
    // another "Mere" overflow item to the menu, empty and visible. Content swapped in by htmx
    // never holds the main menu, so the menu is left alone for a scoped init.
    var nav = window.DKFDS.Navigation && window.DKFDS.Navigation.prototype;
    var navInit = nav ? nav.init : null;
    if (nav) {
      nav.init = function () {};
    }
    try {
      window.DKFDS.init({ scope: scope });
    } finally {
      if (nav) {
        nav.init = navInit;
      }
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
