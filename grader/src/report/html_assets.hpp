#pragma once
// The style sheet and script of the HTML dashboard, inline in the page (no network).

namespace grader::detail {

inline constexpr const char* kDashboardStyle = R"css(
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--bg)}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:var(--muted)}
main{padding:8px 24px 48px;max-width:1180px}
h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px;background:#fff}
.card .n{display:block;font-size:22px;font-weight:600}
.card .l{color:var(--muted)}
.grid{display:grid;grid-template-columns:minmax(300px,1fr) minmax(300px,1fr);gap:24px}
svg text{font-size:11px;fill:#1f2328}
svg .bar rect{fill:var(--accent)}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:var(--bg);position:sticky;top:0}
thead th button{all:unset;cursor:pointer;font-weight:600}
thead th[aria-sort=ascending] button::after{content:" \25B2"}
thead th[aria-sort=descending] button::after{content:" \25BC"}
.meter{background:#eaeef2;border-radius:3px;height:12px;min-width:120px}
.meter span{display:block;height:12px;border-radius:3px;background:var(--ok)}
.status{font-weight:600}
.status-graded{color:var(--ok)}.status-compile_error,.status-internal_error{color:var(--bad)}.status-invalid{color:var(--warn)}
.partial{color:var(--warn)}
td a{white-space:nowrap}
article.submission{border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:12px 0}
article.submission h3{margin:4px 0}
article.submission:target{outline:3px solid var(--accent)}
dl.case{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 10px}
dl.case dt{color:var(--muted)}dl.case dd{margin:0;font-family:ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
pre{background:var(--bg);padding:8px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all}
.hint{color:var(--warn)}
.muted{color:var(--muted)}
)css";

// Sorting on a click (or from "#sort=key" / "#sort=-key"), and a self-check that the table, the
// histogram and the counts agree: disagreements and uncaught errors go to console.error and
// set data-selfcheck="failed" on <body>; a clean page gets "ok".
inline constexpr const char* kDashboardScript = R"js(
(function () {
  "use strict";
  var body = document.body;
  var problems = [];
  function fail(message) {
    problems.push(message);
    body.setAttribute("data-selfcheck", "failed");
    var box = document.getElementById("js-errors");
    box.hidden = false;
    box.textContent += message + "\n";
    console.error("dashboard: " + message);
  }
  window.addEventListener("error", function (e) { fail("uncaught error: " + e.message); });

  var table = document.getElementById("submissions");
  var tbody = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(index, descending) {
    var numeric = headers[index].getAttribute("data-type") === "num";
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.forEach(function (r, i) { r.setAttribute("data-order", i); });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (descending) c = -c;
      return c !== 0 ? c : a.getAttribute("data-order") - b.getAttribute("data-order");
    });
    rows.forEach(function (r) { r.removeAttribute("data-order"); tbody.appendChild(r); });
    for (var i = 0; i < headers.length; ++i) headers[i].removeAttribute("aria-sort");
    headers[index].setAttribute("aria-sort", descending ? "descending" : "ascending");
    table.setAttribute("data-sorted", headers[index].getAttribute("data-key") + (descending ? ":desc" : ":asc"));
  }

  Array.prototype.forEach.call(headers, function (th, index) {
    th.querySelector("button").addEventListener("click", function () {
      sortBy(index, th.getAttribute("aria-sort") === "ascending");
    });
  });

  function sortFromHash() {
    var m = /^#sort=(-?)([\w-]+)$/.exec(location.hash);
    if (!m) return;
    for (var i = 0; i < headers.length; ++i) {
      if (headers[i].getAttribute("data-key") === m[2]) { sortBy(i, m[1] === "-"); return; }
    }
    fail("unknown sort key " + m[2]);
  }

  function selfCheck() {
    var rows = tbody.rows;
    var bins = document.querySelectorAll("#histogram .bar");
    var counts = [];
    for (var b = 0; b < bins.length; ++b) counts.push(0);
    var byStatus = {};
    var sum = 0;
    for (var i = 0; i < rows.length; ++i) {
      var f = parseFloat(rows[i].getAttribute("data-fraction"));
      if (isNaN(f)) { fail("row " + i + " has no score fraction"); continue; }
      sum += f;
      counts[Math.min(bins.length - 1, Math.max(0, Math.floor(f * bins.length)))] += 1;
      var s = rows[i].getAttribute("data-status");
      byStatus[s] = (byStatus[s] || 0) + 1;
    }
    for (var k = 0; k < bins.length; ++k) {
      var shown = parseInt(bins[k].getAttribute("data-count"), 10);
      if (shown !== counts[k]) fail("histogram bin " + k + " shows " + shown + " but the table has " + counts[k]);
    }
    document.querySelectorAll("[data-status-count]").forEach(function (el) {
      var status = el.getAttribute("data-status-count");
      var shown = parseInt(el.textContent, 10);
      if (shown !== (byStatus[status] || 0)) fail(status + " count shows " + shown + " but the table has " + (byStatus[status] || 0));
    });
    var total = parseInt(document.getElementById("total-count").textContent, 10);
    if (total !== rows.length) fail("total shows " + total + " but the table has " + rows.length + " rows");
    var mean = parseFloat(document.getElementById("mean-score").getAttribute("data-value"));
    var expected = rows.length ? sum / rows.length : 0;
    if (Math.abs(mean - expected) > 1e-9) fail("mean shows " + mean + " but the table gives " + expected);
    for (var r = 0; r < rows.length; ++r) {
      var link = rows[r].querySelector("a[href^='#sub-']");
      if (!link || !document.getElementById(link.getAttribute("href").slice(1))) fail("row " + r + " links to no detail section");
    }
  }

  try {
    selfCheck();
    sortFromHash();
    window.addEventListener("hashchange", sortFromHash);
  } catch (e) {
    fail("exception: " + e);
  }
  if (problems.length === 0) {
    body.setAttribute("data-selfcheck", "ok");
    console.log("dashboard: self-check ok (" + tbody.rows.length + " submissions)");
  }
})();
)js";

}  // namespace grader::detail
