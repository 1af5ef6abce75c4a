"""The HTML report's style sheet and its script, written into the page (no file beside it).

The script only hides and shows rows by the three filters and counts what is shown; it
reads the rows' data attributes and never builds markup from them. Before printing it
opens every diagram of a case that is shown.
"""

CSS = """
:root { --err: #c62828; --warn: #b26a00; --info: #1f4e9c; --line: #d9d9d9; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #222;
       line-height: 1.5; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 0 0 .3rem; word-break: break-all; }
.meta, .head, .tally, .path, .note { color: #555; margin: .1rem 0; font-size: .9rem; }
.figures { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.fig { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.fig b { display: block; font-size: 1.8rem; }
.fig span { color: #555; font-size: .9rem; }
.fig-with_violations b, .fig-error b, .fig-errors b { color: var(--err); }
.fig-warning b { color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .88rem; }
th, td { border: 1px solid var(--line); padding: .25rem .4rem; text-align: left;
         vertical-align: top; }
thead th { background: #f2f2f2; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead th, td.rule, table.summary tbody th { white-space: nowrap; }
.case { overflow-x: auto; }
td.cite { color: #444; font-size: .82rem; }
td.msg { min-width: 16em; }
td.loc code { white-space: nowrap; }
tr.sev-error td.sev { color: var(--err); font-weight: bold; }
tr.sev-warning td.sev { color: var(--warn); font-weight: bold; }
tr.sev-info td.sev { color: var(--info); }
.filters { position: sticky; top: 0; background: #fff; border: 1px solid var(--line);
           padding: .5rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center;
           z-index: 1; margin-top: 1.5rem; }
.case { border: 1px solid var(--line); border-left: 4px solid var(--err); border-radius: 4px;
        padding: .6rem .8rem; margin: .8rem 0; }
.case.bad { border-left-color: #555; }
.mark { color: var(--err); }
.warn { border-left: 4px solid var(--warn); padding-left: .6rem; }
details.diagram summary { cursor: pointer; color: var(--info); margin: .3rem 0; }
details.diagram svg { max-width: 100%; height: auto; }
[hidden] { display: none !important; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filters, details.diagram summary { display: none; }
  .case { break-inside: avoid-page; border-left-width: 2px; }
  h2 { break-after: avoid-page; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 15mm 12mm; }
}
"""

SCRIPT = """
(function () {
  var unit = document.getElementById('f-unit');
  var rule = document.getElementById('f-rule');
  var sev = document.getElementById('f-severity');
  var shown = document.getElementById('shown');
  function apply() {
    var u = unit.value, r = rule.value, s = sev.value, n = 0, all = 0;
    document.querySelectorAll('article.case').forEach(function (c) {
      var rows = c.querySelectorAll('tr.v'), any = false;
      rows.forEach(function (row) {
        var ok = (!u || row.dataset.unit === u) && (!r || row.dataset.rule === r) &&
                 (!s || row.dataset.severity === s);
        row.hidden = !ok; all += 1;
        if (ok) { any = true; n += 1; }
      });
      if (!rows.length) { any = !u && !r && !s; }
      c.hidden = !any;
    });
    document.querySelectorAll('tr.st, tr.unit-row').forEach(function (row) {
      row.hidden = !!u && row.dataset.unit !== u;
    });
    shown.textContent = shown.dataset.template.replace('{n}', n).replace('{all}', all);
  }
  [unit, rule, sev].forEach(function (el) { el.addEventListener('change', apply); });
  var opened = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('article.case:not([hidden]) details.diagram').forEach(
      function (d) { if (!d.open) { d.open = true; opened.push(d); } });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; }); opened = [];
  });
  apply();
})();
"""
