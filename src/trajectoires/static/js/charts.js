/*
 * Draws every chart of the page with Apache ECharts (loaded before this file).
 *
 * A chart is an element with data-chart="<id>", where <id> is the id of a JSON data block
 * (Django's json_script) holding the ECharts options, built on the server. The page keeps a table
 * of the same figures as the chart's text alternative; the element carries role="img" and an
 * aria-label. No inline script or style is needed, so the Content Security Policy holds.
 */
(function () {
  "use strict";

  function readOptions(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) {
      return null;
    }
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      return null;
    }
  }

  function draw(element) {
    var options = readOptions(element);
    if (!options) {
      return null;
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    options.animation = options.animation === undefined ? !prefersReducedMotion() : options.animation;
    chart.setOption(options);
    return chart;
  }

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function drawAll() {
    if (!window.echarts) {
      return;
    }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = draw(element);
      if (chart) {
        charts.push(chart);
      }
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) { chart.resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
