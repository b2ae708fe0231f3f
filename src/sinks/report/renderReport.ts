import { maskUrlPasswords } from '../../model/secrets.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './reportData.js';

const require = createRequire(import.meta.url);
let uplotAssets: { js: string; css: string } | null = null;

// uPlot (MIT, github.com/leeoniya/uPlot) is inlined so the report opens with no network.
const assets = (): { js: string; css: string } => {
  uplotAssets ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplotAssets;
};

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

// Runs in the browser. Every label goes in through textContent, never innerHTML.
const CLIENT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var STATE_COLOUR = { pending: '#e69f00', firing: '#d62728', resolved: '#2ca02c' };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  function label(s) {
    var keys = Object.keys(s.tags).sort();
    if (!keys.length) return s.metric;
    return s.metric + ' {' + keys.map(function (k) { return k + '=' + s.tags[k]; }).join(', ') + '}';
  }
  function compact(v) {
    if (v == null) return '';
    var a = Math.abs(v), units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) if (a >= units[i][0]) return +(v / units[i][0]).toPrecision(3) + units[i][1];
    return +v.toPrecision(3) + '';
  }
  var Y_AXIS = { size: 64, values: function (u, vals) { return vals.map(compact); } };
  function width(container) { return Math.max(320, Math.min(1100, container.clientWidth || 900)); }
  function alertMarkers(alerts) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx; ctx.save();
      alerts.forEach(function (a) {
        var x = Math.round(u.valToPos(a.ts / 1e6, 'x', true));
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        ctx.strokeStyle = STATE_COLOUR[a.state] || '#555'; ctx.lineWidth = 2; ctx.setLineDash([5, 4]);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      });
      ctx.restore();
    }] } };
  }
  // Every fault, shaded from its start to its end (to the right edge while it lasts) under the
  // lines of every time chart, with a line at its start and a green one where the service recovered.
  var FAULT_FILL = 'rgba(188, 189, 34, 0.2)', FAULT_LINE = '#bcbd22', RECOVERED_LINE = '#2ca02c';
  var faultRegions = { hooks: { drawClear: [function (u) {
    if (!data.faults.length) return;
    var ctx = u.ctx, left = u.bbox.left, right = u.bbox.left + u.bbox.width;
    var top = u.bbox.top, height = u.bbox.height;
    function at(micros) { return u.valToPos(micros / 1e6, 'x', true); }
    function line(x, colour) {
      if (x < left || x > right) return;
      ctx.strokeStyle = colour; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(Math.round(x), top); ctx.lineTo(Math.round(x), top + height); ctx.stroke();
    }
    ctx.save();
    data.faults.forEach(function (f) {
      var x0 = Math.max(left, at(f.start)), x1 = Math.min(right, f.end == null ? right : at(f.end));
      if (x1 > x0) { ctx.fillStyle = FAULT_FILL; ctx.fillRect(x0, top, x1 - x0, height); }
      line(at(f.start), FAULT_LINE);
      if (f.recoveredAt != null) line(at(f.recoveredAt), RECOVERED_LINE);
    });
    ctx.restore();
  }] } };
  // A Map, not an object: a series may be called "constructor" or "__proto__".
  var bySeries = new Map();
  data.alerts.forEach(function (a) {
    if (!bySeries.has(a.series)) bySeries.set(a.series, []);
    bySeries.get(a.series).push(a);
  });

  var latency = document.getElementById('series-charts');
  var resources = document.getElementById('leak-charts');
  // Each series' chart has an anchor the alert table links to.
  var anchors = new Map();
  data.series.forEach(function (s, i) {
    var host = s.leak ? resources : latency;
    var box = el('section', 'chart');
    box.id = 'chart-' + i;
    anchors.set(s.series, box.id);
    box.appendChild(el('h3', null, label(s)));
    var alerts = bySeries.get(s.series) || [];
    if (s.leak) {
      var l = s.leak;
      box.appendChild(el('p', 'note', 'leak slope ' + l.slopePerHour.toPrecision(3) + ' per hour (95% CI ' +
        l.lowerPerHour.toPrecision(3) + ' … ' + l.upperPerHour.toPrecision(3) + '), Mann–Kendall p = ' +
        l.pValue.toPrecision(2) + (l.leaking ? ' — LEAKING' : '')));
    }
    if (alerts.length) {
      var marked = alerts.map(function (a) { return a.state + ' ' + a.rule; }).join('; ');
      box.appendChild(el('p', 'note', alerts.length + ' alert transition(s) marked: ' + marked));
    }
    host.appendChild(box);
    var columns = [s.t, s.p50, s.p95, s.p99];
    var series = [
      {},
      { label: 'p50', stroke: '#1f77b4', width: 1.5 },
      { label: 'p95', stroke: '#ff7f0e', width: 1 },
      { label: 'p99', stroke: '#9467bd', width: 1 },
    ];
    var axis = Y_AXIS;
    // An error series (0/1 per request, or a ratio) is a rate: its quantiles read 0 until half fail.
    if (s.kind === 'errors') {
      columns = [s.t, s.mean.map(function (v) { return v * 100; })];
      series = [{}, { label: 'error rate (rolling mean, %)', stroke: '#d62728', width: 1.5 }];
      axis = { size: 64, values: function (u, vals) { return vals.map(function (v) { return compact(v) + '%'; }); } };
    }
    if (s.leak) {
      var l2 = s.leak, mid = (l2.ts - l2.spanMicros / 2) / 1e6, start = (l2.ts - l2.spanMicros) / 1e6;
      var fitted = s.t.map(function (t) {
        return t >= start && t <= l2.ts / 1e6 ? l2.level + l2.slopePerHour * (t - mid) / 3600 : null;
      });
      columns = [s.t, s.p50, fitted];
      series = [
        {},
        { label: 'median', stroke: '#1f77b4', width: 1.5 },
        { label: 'fitted leak slope (post-GC floor)', stroke: '#d62728', width: 2, dash: [8, 4] },
      ];
    }
    var options = {
      width: width(host), height: 260, series: series, plugins: [faultRegions, alertMarkers(alerts)],
      scales: { x: { time: true } }, axes: [{}, axis],
    };
    new uPlot(options, columns, box);
  });
  if (!data.series.length) latency.appendChild(el('p', 'note', 'No rolling statistics were recorded.'));
  if (!resources.children.length) resources.appendChild(el('p', 'note', 'No series had a leak detector.'));

  var scaling = document.getElementById('scaling-charts');
  data.scaling.forEach(function (r) {
    var box = el('section', 'chart');
    box.appendChild(el('h3', null, label(r)));
    var fit = r.sigma != null
      ? '; USL σ = ' + r.sigma.toPrecision(3) + ', κ = ' + r.kappa.toPrecision(3) + ', λ = ' + r.lambda.toPrecision(4)
      : '';
    box.appendChild(el('p', 'note', 'scaling efficiency ' + (100 * r.efficiency).toFixed(0) +
      '% at the highest concurrency' + fit + (r.degraded ? ' — DEGRADED' : '')));
    scaling.appendChild(box);
    new uPlot({ width: width(scaling), height: 260, scales: { x: { time: false } },
      axes: [{ label: 'concurrency' }, { label: 'throughput', size: 64, values: Y_AXIS.values }],
      series: [
        { label: 'concurrency' },
        { label: 'measured', stroke: '#1f77b4', width: 0, points: { show: true, size: 8 } },
        { label: 'USL fit', stroke: '#d62728', width: 2, spanGaps: true },
      ] },
      [r.x, r.measured, r.usl], box);
  });
  if (!data.scaling.length) scaling.appendChild(el('p', 'note', 'No concurrency steps were measured.'));

  if (data.faults.length) {
    var legend = data.faults.length + ' fault(s) shaded on every time chart, from start to end; ' +
      'a green line where the service recovered.';
    latency.parentNode.insertBefore(el('p', 'note fault-legend', legend), latency);
  }
  // 12.0 s, 2m 05s, 1h 02m.
  function span(micros) {
    var s = micros / 1e6;
    if (Math.abs(s) < 100) return s.toFixed(1) + ' s';
    function two(n) { return (n < 10 ? '0' : '') + n; }
    var whole = Math.round(s);
    if (whole < 3600) return Math.floor(whole / 60) + 'm ' + two(whole % 60) + 's';
    return Math.floor(whole / 3600) + 'h ' + two(Math.floor(whole / 60) % 60) + 'm';
  }
  var VERDICT = {
    'in-progress': 'in progress',
    recovered: 'recovered',
    'recovered-late': 'recovered after its deadline',
    'not-recovered': 'NOT RECOVERED',
    unfinished: 'unfinished: the run ended first',
  };
  var faultBody = document.getElementById('fault-rows');
  data.faults.forEach(function (f) {
    var tr = el('tr', 'verdict-' + f.verdict);
    var recovered = f.verdict === 'recovered' || f.verdict === 'recovered-late';
    var cells = [
      f.fault + ' #' + f.occurrence,
      f.action,
      '+' + span(f.start - data.startedAt),
      f.end == null ? 'not ended' : span(f.end - f.start),
      f.impactAt != null ? span(f.impactAt - f.start) : recovered ? 'no visible impact' : '—',
      f.recoveryTime != null ? span(f.recoveryTime) : 'not recovered',
      VERDICT[f.verdict] || f.verdict,
      f.message,
    ];
    cells.forEach(function (v) { tr.appendChild(el('td', null, v)); });
    tr.firstChild.title = f.series;
    tr.children[2].title = new Date(f.start / 1000).toISOString();
    faultBody.appendChild(tr);
  });
  if (!data.faults.length) {
    var none = el('tr');
    var empty = el('td', null, 'No faults were injected.');
    empty.colSpan = 8;
    none.appendChild(empty);
    faultBody.appendChild(none);
  }

  var body = document.getElementById('alert-rows');
  data.alerts.forEach(function (a) {
    var tr = el('tr', 'state-' + a.state);
    var time = new Date(a.ts / 1000).toISOString().replace('.000Z', 'Z');
    var cells = [time, a.state, a.severity, a.rule, a.series, a.message];
    cells.forEach(function (v) { tr.appendChild(el('td', null, v)); });
    var anchor = anchors.get(a.series);
    if (anchor) {
      var link = el('a', null, a.series);
      link.href = '#' + anchor;
      tr.children[4].textContent = '';
      tr.children[4].appendChild(link);
    }
    body.appendChild(tr);
  });
  if (!data.alerts.length) {
    var tr = el('tr');
    var td = el('td', null, 'No alerts.');
    td.colSpan = 6;
    tr.appendChild(td);
    body.appendChild(tr);
  }
  document.body.setAttribute('data-rendered', 'true');
})();
`;

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1140px; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 0.95rem; margin: 1.2rem 0 0.3rem; word-break: break-all; }
.note { color: #555; margin: 0.2rem 0; } .summary span { margin-right: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
#alerts { table-layout: fixed; }
#alerts td { overflow-wrap: anywhere; }
td, th { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; vertical-align: top; }
.state-firing td:nth-child(2) { color: #d62728; font-weight: 600; }
.state-resolved td:nth-child(2) { color: #2ca02c; }
.state-pending td:nth-child(2) { color: #e69f00; }
#fault-rows td:nth-child(-n+7) { white-space: nowrap; }
.verdict-recovered td:nth-child(7), .verdict-recovered-late td:nth-child(7) { color: #2ca02c; }
.verdict-not-recovered td:nth-child(7) { color: #d62728; font-weight: 600; }
.verdict-unfinished td:nth-child(7), .verdict-in-progress td:nth-child(7) { color: #e69f00; }
`;

/**
 * One self-contained HTML file: uPlot and the data inlined, no request to anywhere when opened.
 * Sections: latency quantiles (p50/p95/p99) per series, resource series with their fitted leak
 * slope, throughput against concurrency with the USL curve, the faults injected with their
 * recovery (also shaded from start to end on every time chart), and the alert transitions, which
 * are also drawn as dashed markers on their series' charts. Labels reach the page as text only.
 */
export function renderReport(data: ReportData): string {
  const { js, css } = assets();
  const firing = new Set(data.alerts.filter((a) => a.state === 'firing').map((a) => a.id));
  const omitted = data.omittedSeries > 0 ? ` (${data.omittedSeries} more not drawn)` : '';
  const notRecovered = data.faults.filter((f) => f.verdict === 'not-recovered' || f.verdict === 'unfinished').length;
  const moreFaults = data.omittedFaults > 0 ? ` (${data.omittedFaults} more not shown)` : '';
  const faults =
    data.faults.length > 0
      ? `\n<span>${data.faults.length} faults injected${moreFaults}, ${notRecovered} not recovered</span>`
      : '';
  // No URL password reaches the page, whichever label carries it.
  const title = escapeHtml(maskUrlPasswords(data.title));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
  content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<p class="summary">
<span>generated ${escapeHtml(data.generatedAt)}</span>
<span>${data.samples.toLocaleString('en-US')} samples</span>
<span>${data.series.length} series${omitted}</span>
<span>${firing.size} alerts fired</span>${faults}
</p>
<h2>Alerts</h2>
<table id="alerts">
<colgroup><col style="width: 11.5rem"><col style="width: 5.5rem"><col style="width: 5rem"><col style="width: 10rem">\
<col style="width: 24%"><col></colgroup>
<thead><tr><th>time</th><th>state</th><th>severity</th><th>rule</th><th>series</th><th>message</th></tr></thead>
<tbody id="alert-rows"></tbody>
</table>
<h2>Faults and recovery</h2>
<table>
<thead><tr><th>fault</th><th>action</th><th>start</th><th>duration</th><th>impact after</th><th>recovered after</th>\
<th>verdict</th><th>detail</th></tr></thead>
<tbody id="fault-rows"></tbody>
</table>
<h2>Latency, errors and other series</h2>
<div id="series-charts"></div>
<h2>Resources and leaks</h2>
<div id="leak-charts"></div>
<h2>Scaling</h2>
<div id="scaling-charts"></div>
<script id="report-data" type="application/json">${maskUrlPasswords(scriptJson(data))}</script>
<script>${js}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
