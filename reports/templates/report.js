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
      case "minutes": return fixed(v, 1) + " " + (I18N.minutes || "min");
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
      case "minutes": return fixed(v, 0) + " " + (I18N.minutes || "min");
      default: return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
    }
  }

  function first(v) { return Array.isArray(v) ? v[0] : v; }

  // heatmapOptions completes a heatmap's option: the tooltip names the row
  // and column of a cell (escaped: rows may be group names) and formats its
  // value; cell labels and the colour scale use the short axis format; long
  // row labels are cut to fit beside the grid.
  function heatmapOptions(opt, format, el) {
    var xAxis = first(opt.xAxis) || {}, yAxis = first(opt.yAxis) || {};
    var xs = xAxis.data || [], ys = yAxis.data || [];
    var enc = echarts.format.encodeHTML;
    opt.tooltip.formatter = function (p) {
      var v = p.value || [];
      return enc(String(ys[v[1]] === undefined ? "" : ys[v[1]])) + "<br>" +
        enc(String(xs[v[0]] === undefined ? "" : xs[v[0]])) + ": <b>" + enc(fmt(format, v[2])) + "</b>";
    };
    (Array.isArray(opt.series) ? opt.series : []).forEach(function (s) {
      s.label = s.label || {};
      s.label.formatter = function (p) { return axisFmt(format, (p.value || [])[2]); };
      s.emphasis = { itemStyle: { borderColor: "#1d2733", borderWidth: 1 } };
      s.itemStyle = { borderColor: "#ffffff", borderWidth: 1 };
    });
    var vm = first(opt.visualMap);
    if (vm) {
      vm.formatter = function (v) { return axisFmt(format, v); };
      vm.itemWidth = 12;
      vm.itemHeight = Math.max(120, Math.min(260, el.clientWidth * 0.4));
    }
    yAxis.axisLabel = yAxis.axisLabel || {};
    yAxis.axisLabel.interval = 0;
    yAxis.axisLabel.width = Math.max(70, Math.min(200, Math.round(el.clientWidth * 0.28)));
    yAxis.axisLabel.overflow = "truncate";
    xAxis.axisLabel = xAxis.axisLabel || {};
    if (xs.length > 12 && el.clientWidth < 700) { xAxis.axisLabel.interval = 2; }
  }

  // fitLegend lays a legend out on as many lines as its names need at the
  // chart's width (rather than paging through them) and moves the plot
  // down to make room. Sizes are ECharts' defaults: 25 px symbols, 10 px
  // gaps, 12 px text.
  function fitLegend(opt, el, font) {
    var lg = first(opt.legend), grid = first(opt.grid);
    if (!lg || lg.show === false || !grid || !Array.isArray(opt.series)) { return; }
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = "12px " + font;
    var avail = Math.max(el.clientWidth - 48, 120), line = 0, lines = 1;
    opt.series.forEach(function (s) {
      var w = ctx.measureText(String(s.name || "")).width + 25 + 5 + 10;
      if (line > 0 && line + w > avail) { lines++; line = w; } else { line += w; }
    });
    lg.type = "plain";
    lg.left = "center";
    lg.width = avail;
    grid.top = String(14 + lines * 22);
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
        if (spec.kind === "heatmap") {
          heatmapOptions(opt, format, el);
        } else {
          opt.tooltip.valueFormatter = function (v) { return fmt(format, v); };
          fitLegend(opt, el, font);
          var yAxes = Array.isArray(opt.yAxis) ? opt.yAxis : (opt.yAxis ? [opt.yAxis] : []);
          yAxes.forEach(function (ax) {
            ax.axisLabel = ax.axisLabel || {};
            ax.axisLabel.formatter = function (v) { return axisFmt(format, v); };
          });
        }
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(opt);
        drawn.push({ chart: chart, opt: opt, el: el, heatmap: spec.kind === "heatmap" });
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
        drawn.forEach(function (d) {
          if (!d.heatmap && first(d.opt.legend)) {
            fitLegend(d.opt, d.el, font);
            d.chart.setOption({ legend: d.opt.legend, grid: d.opt.grid });
          }
          d.chart.resize();
        });
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
