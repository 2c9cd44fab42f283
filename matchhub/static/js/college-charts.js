// Draws the demand report's charts from the JSON data block; the tables beside
// each chart hold the same figures, so the page is complete without JavaScript.
(function () {
  "use strict";
  var block = document.getElementById("demand-data");
  if (!block || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(block.textContent);
  var palette = ["#0b5d6b", "#e07a1f", "#3a7d44", "#8e3b8a", "#c0392b", "#2c6fbb"];

  function bar(canvas, series, horizontal) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: series.label, data: series.values, backgroundColor: palette[0] }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } }
      }
    });
  }

  function line(canvas, series) {
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: series.labels,
        datasets: series.datasets.map(function (d, i) {
          return {
            label: d.label,
            data: d.data,
            borderColor: palette[i % palette.length],
            backgroundColor: palette[i % palette.length],
            tension: 0.2
          };
        })
      },
      options: { maintainAspectRatio: false, animation: false }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var key = canvas.getAttribute("data-chart");
    var series = data[key];
    if (!series) {
      return;
    }
    var chart = key === "trend" ? line(canvas, series) : bar(canvas, series, key === "skills");
    if (chart) {
      canvas.setAttribute("data-chart-rendered", "true");
    }
  });
})();
