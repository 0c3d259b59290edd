/* ckpi weekly report: draws the trend charts and makes tables sortable. No network, no dependencies but the ECharts inlined above. */
(function () {
  "use strict";
  var I18N = window.CKPI_I18N || {};
  var lang = document.documentElement.getAttribute("data-lang") || "en";

  function fixed(v, digits) {
    return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  // fmt writes a value the way the report's Go code does (reports.FormatValue).
  function fmt(format, v) {
    if (typeof v !== "number" || !isFinite(v)) { return "\u2013"; }
    switch (format) {
      case "int": return fixed(Math.round(v), 0);
      case "float": return fixed(v, 1);
      case "percent": return fixed(v * 100, 1) + "%";
      case "money": return fixed(v, 2);
      case "hours": return fixed(v, 1) + " " + (I18N.hours || "h");
      default: return String(v);
    }
  }

  // axisFmt is fmt with fewer digits, for axis ticks.
  function axisFmt(format, v) {
    if (typeof v !== "number" || !isFinite(v)) { return ""; }
    switch (format) {
      case "percent":
        var p = v * 100;
        return fixed(p, Math.abs(p - Math.round(p)) < 1e-9 ? 0 : 1) + "%";
      case "hours": return fixed(v, v % 1 === 0 ? 0 : 1) + " " + (I18N.hours || "h");
      default: return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
    }
  }

  function drawCharts() {
    var specs = window.CKPI_CHARTS || [];
    if (!specs.length) { return; }
    if (typeof echarts === "undefined") {
      console.error("ckpi: the embedded ECharts library did not load");
      return;
    }
    var font = window.getComputedStyle(document.body).fontFamily;
    var drawn = [];
    specs.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el) { return; }
      try {
        var opt = spec.option || {};
        var format = spec.format;
        opt.textStyle = { fontFamily: font };
        opt.tooltip = opt.tooltip || {};
        opt.tooltip.valueFormatter = function (v) { return fmt(format, v); };
        var yAxes = Array.isArray(opt.yAxis) ? opt.yAxis : (opt.yAxis ? [opt.yAxis] : []);
        yAxes.forEach(function (ax) {
          ax.axisLabel = ax.axisLabel || {};
          ax.axisLabel.formatter = function (v) { return axisFmt(format, v); };
        });
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(opt);
        drawn.push(chart);
      } catch (e) {
        console.error("ckpi: chart " + spec.id + ": " + e);
      }
    });
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) { return; }
      pending = true;
      window.setTimeout(function () {
        pending = false;
        drawn.forEach(function (c) { c.resize(); });
      }, 100);
    });
  }

  var collator = (typeof Intl !== "undefined" && Intl.Collator)
    ? new Intl.Collator(lang === "zh" ? "zh-CN" : "en", { numeric: true, sensitivity: "base" })
    : null;

  function compareText(a, b) {
    if (collator) { return collator.compare(a, b); }
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  // makeSortable sorts a table by the clicked header; cells sort by their
  // data-sort attribute when they have one, else by their text. Empty keys
  // always go last. Rows are moved, never re-rendered.
  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) { return; }
    var ths = head.cells;
    Array.prototype.forEach.call(ths, function (th, col) {
      var button = th.querySelector("button") || th;
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var current = th.getAttribute("aria-sort");
        // Numbers start with the largest, text with A.
        var asc = current ? current !== "ascending" : !numeric;
        Array.prototype.forEach.call(ths, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, i) {
          var cell = row.cells[col];
          var raw = !cell ? "" : (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim());
          var key = raw;
          if (numeric) {
            key = raw === "" ? null : parseFloat(raw);
            if (key !== null && isNaN(key)) { key = null; }
          } else if (raw === "") {
            key = null;
          }
          return { row: row, key: key, i: i };
        });
        keyed.sort(function (a, b) {
          if (a.key === null || b.key === null) {
            if (a.key === b.key) { return a.i - b.i; }
            return a.key === null ? 1 : -1;
          }
          var c = numeric ? a.key - b.key : compareText(a.key, b.key);
          if (c === 0) { return a.i - b.i; }
          return asc ? c : -c;
        });
        var frag = document.createDocumentFragment();
        keyed.forEach(function (k) { frag.appendChild(k.row); });
        body.appendChild(frag);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  drawCharts();
})();
