/* Charts of the monitoring pages (issue 11): every element with data-chart="ID" is drawn with the
   ECharts option held in <script type="application/json" id="ID"> (built on the server,
   jiuye/web/charts.py). ECharts is served by the app itself (web/vendor/echarts). */
(function () {
  "use strict";
  function draw() {
    if (typeof echarts === "undefined") { return; }
    var nodes = document.querySelectorAll("[data-chart]");
    var charts = [];
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-drawn")) { continue; }
      nodes[i].setAttribute("data-drawn", "1");
      var holder = document.getElementById(nodes[i].getAttribute("data-chart"));
      if (!holder) { continue; }
      var option;
      try { option = JSON.parse(holder.textContent); } catch (e) { continue; }
      var chart = echarts.init(nodes[i], null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
    }
    window.addEventListener("resize", function () {
      for (var j = 0; j < charts.length; j++) { charts[j].resize(); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
