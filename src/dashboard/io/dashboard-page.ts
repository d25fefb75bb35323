import { dashboardMain, type PageConfig } from '../dashboard-main.js';
import { createDashboardModel } from '../dashboard-model.js';
import { createDashboardView } from '../dashboard-view.js';

/**
 * The page's script: the model, the view and the wiring, each shipped as its function's
 * source (tsc and tsx both leave plain JavaScript behind), then started with the browser's
 * real clock, timers and mqtt.js. `__name` is esbuild's keep-names helper, which tsx and
 * vitest put inside function bodies; the page defines it as a no-op.
 */
export function pageScript(): string {
  return `"use strict";
var __name = function (f) { return f; };
var createDashboardModel = (${createDashboardModel.toString()});
var createDashboardView = (${createDashboardView.toString()});
var dashboardMain = (${dashboardMain.toString()});
(function () {
  var config = JSON.parse(document.getElementById('strata-config').textContent);
  var decoder = new TextDecoder();
  window.strataDashboard = dashboardMain({
    config: config,
    connect: function (url) { return mqtt.connect(url, { reconnectPeriod: 1000, connectTimeout: 5000, clean: true, protocolVersion: 4 }); },
    element: function (id) { return document.getElementById(id); },
    origin: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host,
    now: function () { return performance.now(); },
    later: function (ms, fn) { setTimeout(fn, ms); },
    every: function (ms, fn) { setInterval(fn, ms); },
    decode: function (bytes) { return decoder.decode(bytes); },
    createModel: createDashboardModel,
    createView: createDashboardView,
  });
})();
`;
}

const STYLE = `
:root { --bg:#f5f6f8; --card:#fff; --ink:#1d2430; --muted:#6b7480; --line:#d8dce3; --ok:#1f9d55; --bad:#d64545; --warn:#c98a00; --accent:#2f6fd6; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; gap:16px; align-items:center; padding:10px 18px; background:#1d2430; color:#fff; }
header h1 { font-size:16px; margin:0; font-weight:600; letter-spacing:.02em; }
header .sub { color:#aab3c0; font-size:13px; }
#conn { margin-left:auto; font-size:13px; padding:2px 10px; border-radius:10px; background:#3a4454; }
#conn[data-conn=connected] { background:#1f6f45; }
#conn[data-conn=disconnected] { background:#8a2b2b; }
#total { font-size:13px; color:#cfd6df; }
main { display:grid; grid-template-columns: minmax(420px, 1.25fr) minmax(340px, 1fr); gap:16px; padding:16px; align-items:start; }
h2 { font-size:14px; margin:0 0 10px; font-weight:600; color:#39424f; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; margin-bottom:16px; }
.empty, .muted { color:var(--muted); }
code { font:12px ui-monospace, "DejaVu Sans Mono", monospace; background:#eef1f5; padding:0 4px; border-radius:3px; }
.tree h2 .count { font-weight:500; font-size:12px; padding:1px 8px; border-radius:9px; margin-left:6px; }
.count.ok { background:#e3f4ea; color:var(--ok); } .count.bad { background:#fbe6e6; color:var(--bad); }
ul.tree-root, ul.tree-root ul { list-style:none; margin:0; padding:0; }
ul.tree-root ul { margin-left:22px; padding-left:14px; border-left:2px solid var(--line); }
ul.tree-root li { position:relative; margin:8px 0; }
ul.tree-root ul > li::before { content:""; position:absolute; left:-14px; top:18px; width:12px; border-top:2px solid var(--line); }
.node { background:var(--card); border:1px solid var(--line); border-left:5px solid var(--ok); border-radius:6px; padding:8px 10px; max-width:640px; }
.node .head { display:flex; gap:8px; align-items:center; }
.node .dot { width:10px; height:10px; border-radius:50%; background:var(--ok); flex:none; }
.node .id { font-weight:600; font-size:15px; }
.node .kind { color:var(--muted); font-size:12px; }
.node .level { font-size:11px; font-weight:600; background:#e8eefb; color:var(--accent); border-radius:4px; padding:0 5px; }
.node .liveness { margin-left:auto; font-size:12px; color:var(--ok); }
.node[data-state=offline] { border-left-color:var(--bad); background:#fdf3f3; }
.node[data-state=offline] .dot { background:var(--bad); }
.node[data-state=offline] .liveness { color:var(--bad); font-weight:600; }
.node[data-state=offline] .cmd, .node[data-state=offline] .stats, .node[data-state=offline] .plan { opacity:.45; }
.node[data-state=unknown] { border-left-color:#aab3c0; } .node[data-state=unknown] .dot { background:#aab3c0; } .node[data-state=unknown] .liveness { color:var(--muted); }
.cmd { margin-top:6px; display:flex; flex-wrap:wrap; gap:6px; align-items:center; }
.cmd.idle { color:var(--muted); font-size:12px; }
.cmd .verb { font-weight:600; }
.st { font-size:11px; padding:0 7px; border-radius:8px; background:#eef1f5; }
.st-executing { background:#e8eefb; color:var(--accent); } .st-done { background:#e3f4ea; color:var(--ok); }
.st-failed, .st-rejected { background:#fbe6e6; color:var(--bad); } .st-aborted { background:#fdf1d8; color:var(--warn); }
.bar { width:110px; height:6px; background:#e6e9ee; border-radius:3px; overflow:hidden; display:inline-block; }
.bar span { display:block; height:100%; background:var(--accent); }
.pct { font-size:12px; color:var(--muted); }
.reason { flex-basis:100%; font-size:12px; color:#4a5360; }
.stats { margin-top:5px; display:flex; flex-wrap:wrap; gap:4px 14px; font-size:12px; color:#4a5360; }
.stats .warn { color:var(--warn); }
.plan { margin-top:6px; font-size:12px; } .plan-title { color:var(--muted); }
.tree + .tree { margin-top:18px; } .tree.dead h2 { margin-bottom:2px; } .tree.dead p { margin:0; font-size:12px; }
.plan ol { margin:4px 0 0; padding-left:22px; }
.step-state { display:inline-block; min-width:56px; font-size:11px; color:var(--muted); }
.plan li[data-step-state=active] { font-weight:600; } .plan li[data-step-state=active] .step-state { color:var(--accent); }
.plan li[data-step-state=done] .step-state { color:var(--ok); } .plan li[data-step-state=failed] .step-state { color:var(--bad); }
.err { margin-top:5px; font-size:12px; color:var(--bad); }
figure.map { margin:0 0 12px; }
figure.map svg { width:100%; height:auto; max-height:460px; display:block; border:1px solid var(--line); border-radius:6px; background:#fbfaf6; }
.ground { fill:#fbfaf6; }
.obstacle { fill:#7b5b3a; opacity:.85; }
.trail { fill:none; stroke:#8fa3bf; stroke-width:2; }
.path { fill:none; stroke:var(--accent); stroke-width:2; stroke-dasharray:6 4; }
.target { fill:#e3a008; }
.rover polygon { fill:var(--bad); stroke:#fff; stroke-width:.02; }
figcaption { font-size:12px; color:#4a5360; margin-top:6px; display:flex; flex-wrap:wrap; gap:4px 8px; }
.legend { margin-left:auto; display:flex; gap:6px; align-items:center; color:var(--muted); }
.legend i { display:inline-block; width:16px; height:0; border-top:2px solid; margin-left:6px; }
.l-trail { border-color:#8fa3bf; } .l-path { border-top-style:dashed !important; border-color:var(--accent); }
.l-obst { border:none !important; width:9px !important; height:9px !important; border-radius:50%; background:#7b5b3a; }
table.rates { width:100%; border-collapse:collapse; font-size:12px; }
table.rates th { text-align:left; color:var(--muted); font-weight:500; border-bottom:1px solid var(--line); padding:3px 4px; }
table.rates td { padding:2px 4px; border-bottom:1px solid #f0f2f5; }
.num { text-align:right; font-variant-numeric:tabular-nums; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;

/** Escapes JSON for a `<script type="application/json">` block (no early `</script>`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const escHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** The one HTML page; the panels are filled by the script. */
export function pageHtml(config: PageConfig): string {
  const scope = config.tree ? `tree ${config.tree}` : 'all trees';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>strata dashboard · ${escHtml(scope)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>strata</h1><span class="sub">live dashboard · ${escHtml(scope)}</span><span id="total"></span><span id="conn" data-conn="connecting">connecting…</span></header>
<main>
  <div><div class="panel"><div id="trees"><p class="empty">Loading…</p></div></div></div>
  <div>
    <div class="panel"><h2>Map</h2><div id="maps"></div></div>
    <div class="panel"><h2>Message rates (last 5 s)</h2><div id="rates"></div></div>
  </div>
</main>
<script type="application/json" id="strata-config">${scriptJson(config)}</script>
<script src="mqtt.min.js"></script>
<script src="app.js"></script>
</body>
</html>
`;
}
