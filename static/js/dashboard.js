/* Team leader's dashboard: charts from the JSON block (json_script, no inline JS) with the
 * vendored Chart.js, and the CSV export with visible progress. The tables carry the same numbers,
 * so nothing depends on this script. */
(function () {
  "use strict";

  function lodretLinje(cfg) {
    // Draws the 23-week line on a bar chart (category index cfg.index).
    return {
      id: "lodretLinje",
      afterDatasetsDraw: function (chart) {
        var x = chart.scales.x;
        if (!x || cfg.index > x.max) { return; }
        var px = x.getPixelForValue(cfg.index);
        var ctx = chart.ctx;
        var area = chart.chartArea;
        ctx.save();
        ctx.strokeStyle = "#b3161d";
        ctx.lineWidth = 2;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#1a1a1a";
        ctx.font = "bold 12px sans-serif";
        ctx.fillText(cfg.tekst, Math.min(px + 4, area.right - 110), area.top + 12);
        ctx.restore();
      }
    };
  }

  function tegn(canvas, g) {
    var vandret = !!g.vandret;
    var datasets = g.datasets.map(function (d, i) {
      var ds = {
        label: d.label,
        data: d.data,
        backgroundColor: d.farve,
        borderColor: d.farve,
        borderWidth: d.type === "line" || g.type === "line" ? 2 : 0,
        spanGaps: true
      };
      if (d.type === "line") {
        ds.type = "line";
        ds.fill = false;
        ds.pointRadius = 3;
        ds.order = -1;
        ds.borderDash = [6, 3];
      }
      if (g.type === "line") {
        ds.pointStyle = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"][i % 8];
        ds.pointRadius = 4;
      }
      return ds;
    });
    var valueAxis = {
      beginAtZero: true,
      stacked: !!g.stacked,
      ticks: { color: "#1a1a1a", precision: 0 },
      grid: { color: "#e0e0e0" }
    };
    if (g.procent) {
      valueAxis.max = 100;
      valueAxis.ticks.callback = function (v) { return v + " %"; };
    }
    var catAxis = { stacked: !!g.stacked, ticks: { color: "#1a1a1a", autoSkip: true }, grid: { display: false } };
    if (g.x_tekst) { catAxis.title = { display: true, text: g.x_tekst, color: "#1a1a1a" }; }
    var plugins = [];
    if (g.lodret_linje) { plugins.push(lodretLinje(g.lodret_linje)); }
    /* global Chart */
    return new Chart(canvas, {
      type: g.type,
      data: { labels: g.labels, datasets: datasets },
      plugins: plugins,
      options: {
        indexAxis: vandret ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: vandret ? { x: valueAxis, y: catAxis } : { x: catAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, labels: { color: "#1a1a1a" } },
          tooltip: { enabled: true }
        }
      }
    });
  }

  function grafer() {
    var el = document.getElementById("dashboard-data");
    if (!el || typeof Chart === "undefined") { return; }
    var data = JSON.parse(el.textContent);
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll("canvas[data-graf]").forEach(function (canvas) {
      var g = data[canvas.getAttribute("data-graf")];
      if (!g || !g.labels || !g.labels.length) {
        canvas.parentNode.hidden = true;  // no numbers: the table says so
        return;
      }
      tegn(canvas, g);
    });
  }

  function tal(n) { return n.toLocaleString("da-DK"); }

  function eksport(link) {
    link.addEventListener("click", function (ev) {
      if (!window.fetch || !window.ReadableStream) { return; }  // plain download
      ev.preventDefault();
      var total = parseInt(link.getAttribute("data-total"), 10) || 0;
      var status = document.getElementById("eksport-status");
      var bar = document.getElementById("eksport-fremdrift");
      var tekst = document.getElementById("eksport-tekst");
      status.hidden = false;
      link.setAttribute("aria-disabled", "true");
      tekst.textContent = "Eksporten er i gang …";
      fetch(link.href, { credentials: "same-origin" }).then(function (resp) {
        if (!resp.ok || !resp.body) { throw new Error("HTTP " + resp.status); }
        var navn = "dashboard.csv";
        var cd = resp.headers.get("Content-Disposition") || "";
        var m = /filename="([^"]+)"/.exec(cd);
        if (m) { navn = m[1]; }
        var reader = resp.body.getReader();
        // The raw bytes go into the file as the server sent them: decoding them to text (TextDecoder)
        // would drop the byte order mark that Danish Excel needs to read UTF-8. Lines are counted on
        // the bytes (a newline is byte 10 in UTF-8).
        var dele = [];
        var linjer = -1;  // the header line
        function laes() {
          return reader.read().then(function (r) {
            if (r.done) { return; }
            dele.push(r.value);
            for (var i = 0; i < r.value.length; i++) { if (r.value[i] === 10) { linjer++; } }
            bar.value = Math.max(0, Math.min(linjer, total));
            tekst.textContent = "Eksporterer … " + tal(Math.max(0, linjer)) + " af " + tal(total) + " forløb";
            return laes();
          });
        }
        return laes().then(function () {
          var blob = new Blob(dele, { type: "text/csv;charset=utf-8" });
          var url = URL.createObjectURL(blob);
          var a = document.createElement("a");
          a.href = url;
          a.download = navn;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          bar.value = total;
          tekst.textContent = "Eksporten er færdig: " + tal(Math.max(0, linjer)) + " forløb i " + navn + ".";
        });
      }).catch(function () {
        tekst.textContent = "Eksporten mislykkedes. Prøv igen, eller hent filen direkte via knappen.";
      }).then(function () {
        link.removeAttribute("aria-disabled");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    grafer();
    document.querySelectorAll("a[data-eksport]").forEach(eksport);
  });
})();
