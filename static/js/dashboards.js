/* Dashboards: draw each chart from its JSON data block with the vendored plotly.js (no inline
   script, so the strict Content-Security-Policy holds), open a region's dashboard when its tile,
   bar or heatmap row is clicked, and apply the filters as soon as one changes.
   Without JavaScript the page still shows every figure as a table. */
"use strict";

(function () {
  function linkFor(spec, point) {
    const links = spec.links || {};
    if (Array.isArray(point.pointIndex)) {
      const key = point.pointIndex[0] + "," + point.pointIndex[1];
      if (links[key]) return links[key];
      return links[point.y] || null;
    }
    // Horizontal bars carry the region on the y axis, vertical ones on x.
    const horizontal = point.data && point.data.orientation === "h";
    return links[horizontal ? point.y : point.x] || null;
  }

  function drawChart(holder) {
    const source = document.getElementById(holder.dataset.chartSource);
    if (!source || !window.Plotly) return;
    const spec = JSON.parse(source.textContent);
    window.Plotly.newPlot(holder, spec.data, spec.layout, spec.config).then(function () {
      holder.classList.add("chart-drawn");
      const figure = holder.closest("figure");
      const details = figure && figure.querySelector("details.chart-table");
      if (details) details.open = false;
    });
    if (Object.keys(spec.links || {}).length) {
      holder.classList.add("chart-clickable");
      holder.on("plotly_click", function (event) {
        const point = event.points && event.points[0];
        const link = point && linkFor(spec, point);
        if (link) window.location.assign(link);
      });
    }
  }

  function autoSubmit(form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("select")) {
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]").forEach(drawChart);
    document.querySelectorAll("form[data-autosubmit]").forEach(autoSubmit);
  });
})();
