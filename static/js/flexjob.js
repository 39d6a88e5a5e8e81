/* Fleksjob: the arbejdsevnevurdering editor. Effective hours as you type (the server repeats the
 * computation with flexjob.rules.effektive_timer when saving, and its value is the one that counts),
 * and the deviation justification shown only when the job differs from the assessed capacity.
 * Without JavaScript the field is always shown and the server asks for it. */
(function () {
  "use strict";

  // "12,5" or "12.5" -> tenths of an hour (125); null unless a positive number with at most one decimal.
  function tiendedele(tekst) {
    var s = String(tekst || "").replace(/\s/g, "").replace(",", ".");
    var m = /^(\d{1,3})(?:\.(\d))?$/.exec(s);
    if (!m) {
      return null;
    }
    var v = parseInt(m[1], 10) * 10 + (m[2] ? parseInt(m[2], 10) : 0);
    return v > 0 ? v : null;
  }

  // A whole per cent 1-100, or null (as flexjob.rules.intensitet_fejl).
  function procent(tekst) {
    var s = String(tekst || "").replace(/\s/g, "").replace("%", "");
    if (!/^\d{1,3}$/.test(s)) {
      return null;
    }
    var v = parseInt(s, 10);
    return v >= 1 && v <= 100 ? v : null;
  }

  // hours x intensity / 100, rounded to hundredths half-to-even like Decimal.quantize, in integers.
  function effektiveHundrededele(timerTiendedele, pct) {
    var tusindedele = timerTiendedele * pct; // (t/10) * (p/100) hours = t*p/1000
    var q = Math.floor(tusindedele / 10);
    var r = tusindedele % 10;
    if (r > 5 || (r === 5 && q % 2 === 1)) {
      q += 1;
    }
    return q;
  }

  function dansk(hundrededele) {
    var hele = Math.floor(hundrededele / 100);
    var rest = hundrededele % 100;
    return String(hele) + "," + (rest < 10 ? "0" : "") + String(rest);
  }

  function timerTekst(tiendedele) {
    return tiendedele % 10 === 0 ? String(tiendedele / 10) : String(Math.floor(tiendedele / 10)) + "," + String(tiendedele % 10);
  }

  // "7,50" for typed hours and intensity, or null when they are not valid yet.
  function effektiveTekst(timer, intensitet) {
    var t = tiendedele(timer);
    var p = procent(intensitet);
    return t === null || p === null ? null : dansk(effektiveHundrededele(t, p));
  }

  // For tests (node) and other scripts; no behaviour depends on it.
  window.fleksjobBeregning = { effektiveTekst: effektiveTekst };

  function init(form) {
    var timer = form.querySelector("[name=timer]");
    var intensitet = form.querySelector("[name=intensitet]");
    var jobTimer = form.querySelector("[name=job_timer]");
    var jobIntensitet = form.querySelector("[name=job_intensitet]");
    var resultat = form.querySelector("[data-effektive-timer]");
    var afvigelseFelt = form.querySelector("[data-afvigelse-felt]");
    var afvigelseStatus = form.querySelector("[data-afvigelse-status]");
    var begrundelse = afvigelseFelt ? afvigelseFelt.querySelector("textarea") : null;
    if (!timer || !intensitet || !resultat) {
      return;
    }
    var sidsteResultat = resultat.textContent;
    var afvigerFoer = null;

    function opdaterEffektive() {
      var t = tiendedele(timer.value);
      var p = procent(intensitet.value);
      var tekst;
      if (t === null || p === null) {
        tekst = "Udfyld timer (fx 12,5) og arbejdsintensitet (1-100 %) for at beregne de effektive timer.";
        if (tekst !== sidsteResultat) {
          resultat.textContent = tekst;
        }
      } else {
        tekst = dansk(effektiveHundrededele(t, p)) + " effektive timer pr. uge (" + timerTekst(t) + " timer × " + p + " %)";
        if (tekst !== sidsteResultat) {
          resultat.textContent = "";
          var strong = document.createElement("strong");
          strong.textContent = dansk(effektiveHundrededele(t, p));
          resultat.appendChild(strong);
          resultat.appendChild(document.createTextNode(" effektive timer pr. uge (" + timerTekst(t) + " timer × " + p + " %)"));
        }
      }
      sidsteResultat = tekst;
    }

    function afviger() {
      var t = tiendedele(timer.value);
      var p = procent(intensitet.value);
      var jt = tiendedele(jobTimer && jobTimer.value);
      var jp = procent(jobIntensitet && jobIntensitet.value);
      if (t === null || p === null || jt === null || jp === null) {
        return null; // unknown: leave the field as it is
      }
      return t !== jt || p !== jp;
    }

    function opdaterAfvigelse(foersteGang) {
      if (!afvigelseFelt || !begrundelse) {
        return;
      }
      var a = afviger();
      var harFejl = afvigelseFelt.querySelector(".form-error") !== null;
      var harTekst = begrundelse.value.trim() !== "";
      var vis;
      if (a === null) {
        vis = foersteGang ? harFejl || harTekst : !afvigelseFelt.hidden;
      } else {
        vis = a || harFejl || harTekst;
      }
      afvigelseFelt.hidden = !vis;
      if (a) {
        begrundelse.setAttribute("aria-required", "true");
      } else {
        begrundelse.removeAttribute("aria-required");
      }
      if (!foersteGang && a !== null && a !== afvigerFoer && afvigelseStatus) {
        afvigelseStatus.textContent = a
          ? (afvigelseFelt.getAttribute("data-besked") || "") + " Feltet «Begrundelse for afvigelsen» er vist under jobbets arbejdsintensitet."
          : "Jobbet svarer til den vurderede arbejdsevne. Der kræves ingen begrundelse for afvigelse.";
      }
      if (a !== null) {
        afvigerFoer = a;
      }
    }

    [timer, intensitet].forEach(function (el) {
      el.addEventListener("input", opdaterEffektive);
    });
    [timer, intensitet, jobTimer, jobIntensitet].forEach(function (el) {
      if (el) {
        el.addEventListener("input", function () {
          opdaterAfvigelse(false);
        });
      }
    });
    opdaterEffektive();
    opdaterAfvigelse(true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-fleksjob-vurdering]"), init);
  });
})();
