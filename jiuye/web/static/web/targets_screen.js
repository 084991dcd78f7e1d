/* The big screen's refresh (issue 12, dashboard part): every data-screen-seconds seconds fetch the JSON at
   data-screen-url (targets_screen_data) and update the tiles, both charts, their tables and the warnings.
   Text goes in with textContent only. Without the script the page reloads itself (<noscript> meta refresh). */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-screen-url");
  var seconds = parseInt(body.getAttribute("data-screen-seconds"), 10) || 60;
  if (!url || typeof window.fetch !== "function") { return; }

  function text(node, value) { if (node) { node.textContent = value === null || value === undefined ? "" : String(value); } }

  function setStatus(node, prefix, status) {
    if (!node) { return; }
    var cls = node.className.split(" ").filter(function (c) { return c.indexOf(prefix) !== 0; });
    cls.push(prefix + status);
    node.className = cls.join(" ");
  }

  function cell(tag, value, status) {
    var td = document.createElement(tag);
    if (status) {
      var span = document.createElement("span");
      span.className = "sstatus sstatus-" + status.status;
      span.textContent = status.label;
      td.appendChild(span);
    } else {
      td.textContent = value === null || value === undefined ? "—" : String(value);
    }
    return td;
  }

  function chartOf(section) {
    var node = section && section.querySelector("[data-chart]");
    return node && typeof echarts !== "undefined" ? echarts.getInstanceByDom(node) : null;
  }

  function update(data) {
    text(document.querySelector("[data-screen=computed_at]"), data.computed_at);
    text(document.querySelector("[data-screen=period]"), data.period.label);
    (data.tiles || []).forEach(function (t) {
      var tile = document.querySelector(".stile[data-kpi='" + t.code + "']");
      if (!tile) { return; }
      setStatus(tile, "stile-", t.status);
      ["value", "compared", "compared_label", "target", "elapsed", "progress", "status_label", "status_text"]
        .forEach(function (f) { text(tile.querySelector("[data-field=" + f + "]"), t[f]); });
      var wrap = tile.querySelector("[data-field-wrap=compared]");
      if (wrap) { wrap.hidden = !t.compared; }
      setStatus(tile.querySelector("[data-field=status_label]"), "sstatus-", t.status);
    });
    var ranking = document.querySelector("[data-testid=screen-ranking]");
    if (data.ranking) {
      var rc = chartOf(ranking);
      if (rc) { rc.setOption(data.ranking.chart, true); }
      var rbody = ranking.querySelector("[data-screen=ranking-table] tbody");
      if (rbody) {
        while (rbody.firstChild) { rbody.removeChild(rbody.firstChild); }
        data.ranking.rows.forEach(function (r) {
          var tr = document.createElement("tr");
          tr.appendChild(cell("td", r.rank));
          tr.appendChild(cell("td", r.region_name));
          tr.appendChild(cell("td", r.value));
          tr.appendChild(cell("td", r.compared || "—"));
          tr.appendChild(cell("td", r.progress));
          tr.appendChild(cell("td", null, { status: r.status, label: r.status_label }));
          rbody.appendChild(tr);
        });
      }
    }
    var trend = document.querySelector("[data-testid=screen-trend]");
    var tc = chartOf(trend);
    if (tc && data.trend) { tc.setOption(data.trend.chart, true); }
    var ttable = trend && trend.querySelector("[data-screen=trend-table]");
    if (ttable && data.trend) {
      var head = ttable.querySelector("thead tr"), row = ttable.querySelector("tbody tr");
      while (head.firstChild) { head.removeChild(head.firstChild); }
      while (row.firstChild) { row.removeChild(row.firstChild); }
      data.trend.rows.forEach(function (p) { head.appendChild(cell("th", p.period)); row.appendChild(cell("td", p.value)); });
    }
    var list = document.querySelector("[data-screen=warnings]");
    if (list) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var warnings = data.warnings || [];
      if (!warnings.length) {
        var none = document.createElement("li");
        none.textContent = data.warnings_visible ? "当前没有处置中的预警" : "您的角色不查看监测预警明细";
        list.appendChild(none);
      }
      warnings.forEach(function (w) {
        var li = document.createElement("li");
        li.className = "wlevel-" + w.level;
        li.textContent = "【" + w.level_label + "】" + w.region + " " + w.title;
        list.appendChild(li);
      });
    }
    body.setAttribute("data-refreshed", data.computed_at);
  }

  function refresh() {
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(update)
      .catch(function () { body.setAttribute("data-refresh-failed", "1"); });
  }
  window.setInterval(refresh, seconds * 1000);
})();
