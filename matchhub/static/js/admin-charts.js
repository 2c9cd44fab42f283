// Draws every <canvas data-chart="key"> of the page from the JSON block #chart-data.
// The table under each chart holds the same figures, so the page reads without JS.
(function () {
  "use strict";
  var block = document.getElementById("chart-data");
  if (!block || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(block.textContent);
  var colours = ["#0b5d6b", "#e8a33d", "#6c757d", "#198754"];
  var locale = document.documentElement.lang || "vi";
  // The value axis formats numbers in the page's language (log scale for demand
  // against supply); the category axis shows every label, never every other one.
  function scales(spec, format) {
    var value = {
      type: spec.log ? "logarithmic" : "linear",
      ticks: {
        callback: function (v) {
          if (!spec.log || v <= 0) {
            return format.format(v);
          }
          // A log axis gets a tick at every integer: label only 1, 2, 5, 10, 20, 50...
          var lead = Math.round(v / Math.pow(10, Math.floor(Math.log10(v))));
          return lead === 1 || lead === 2 || lead === 5 ? format.format(v) : "";
        }
      }
    };
    if (!spec.log) {
      value.beginAtZero = true;
    }
    var category = { ticks: { autoSkip: false } };
    return spec.horizontal ? { x: value, y: category } : { x: category, y: value };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = data[canvas.dataset.chart];
    if (!spec || !spec.labels.length) {
      return;
    }
    var percent = spec.percent;
    var format = new Intl.NumberFormat(locale, percent ? { style: "percent", maximumFractionDigits: 1 } : {});
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return { label: d.label, data: d.data, backgroundColor: colours[i % colours.length] };
        })
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + format.format(ctx.raw);
              }
            }
          }
        },
        scales: scales(spec, format)
      }
    });
  });
})();
