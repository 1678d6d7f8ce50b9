/* mingshi — the central comparison's charts (ECharts, served by the application).
 *
 * Each chart is a <div data-chart='{...}'> whose spec the server wrote beside its table:
 * {id, type: "bar"|"line", title, stack, unit, categories, series: [{name, data}], links}.
 * Values arrive as decimal strings (never computed here). Charts are drawn on load and again
 * after every htmx swap (the year switch); a click on a jurisdiction's bar opens its studios.
 */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif';
  var COLORS = ["#1f5fa8", "#1e7f4f", "#b7791f", "#9b1c1c", "#5a67d8", "#616e7c", "#2c7a7b", "#b83280"];

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function option(spec) {
    var unit = spec.unit || "";
    var line = spec.type === "line";
    return {
      color: COLORS,
      textStyle: { fontFamily: FONT },
      title: { text: spec.title, left: 0, textStyle: { fontSize: 14, fontFamily: FONT } },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + (unit === "%" ? "%" : ""); },
      },
      legend: { type: "scroll", top: 24, textStyle: { fontFamily: FONT } },
      grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.categories,
        axisLabel: { interval: 0, hideOverlap: true, fontFamily: FONT, overflow: "truncate", width: 110 },
      },
      yAxis: { type: "value", name: unit, axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } },
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: line ? "line" : "bar",
          stack: spec.stack ? "total" : undefined,
          data: s.data.map(number),
          connectNulls: false,
          emphasis: { focus: "series" },
          barMaxWidth: 48,
        };
      }),
    };
  }

  function draw(element) {
    if (typeof echarts === "undefined") {
      return;
    }
    var spec = JSON.parse(element.getAttribute("data-chart"));
    var existing = echarts.getInstanceByDom(element);
    if (existing) {
      existing.dispose();
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(spec));
    if (spec.links && spec.links.length) {
      chart.on("click", function (params) {
        var href = spec.links[params.dataIndex];
        if (href) {
          window.location.assign(href);
        }
      });
    }
    element.setAttribute("data-rendered", "true");
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = scope.querySelectorAll("[data-chart]");
    for (var i = 0; i < found.length; i++) {
      draw(found[i]);
    }
    if (scope.matches && scope.matches("[data-chart]")) {
      draw(scope);
    }
  }

  function resizeAll() {
    if (typeof echarts === "undefined") {
      return;
    }
    var found = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < found.length; i++) {
      var chart = echarts.getInstanceByDom(found[i]);
      if (chart) {
        chart.resize();
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // htmx fires htmx:load on every piece of content it swaps in (the year switch)
  document.addEventListener("htmx:load", function (event) { drawAll(event.detail && event.detail.elt); });
  window.addEventListener("resize", resizeAll);
})();
