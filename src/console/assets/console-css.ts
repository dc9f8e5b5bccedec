/**
 * The console's one stylesheet, served as /console/assets/console.css. It lives in a module (not
 * a .css file) so `npm run build` carries it into dist/ with everything else: no copy step.
 * Layout is CSS only: a wrapping header, auto-fitting figure grids and tables that scroll inside
 * their region keep every page usable from 390 px to wide screens. Colours meet WCAG AA contrast.
 */
export const consoleCss = `
:root {
  --ink: #1b1f24; --muted: #4a5360; --line: #d4d9e0; --paper: #ffffff; --wash: #f3f5f8;
  --accent: #0b5cad; --accent-ink: #ffffff; --good: #1f6b35; --bad: #a1261b; --warn: #7a4b00;
  --series-0: #0b5cad; --series-1: #c2570c; --series-2: #1f7a4d; --series-3: #7b3fa0;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible,
textarea:focus-visible, [tabindex]:focus-visible { outline: 3px solid #f2b100; outline-offset: 2px; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem; }
.skip-link:focus { left: .5rem; z-index: 10; }
.top-bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem;
  padding: .6rem 1.25rem; background: #14263b; color: #ffffff;
}
.top-bar a { color: #ffffff; }
.brand { font-weight: 700; text-decoration: none; font-size: 1.1rem; }
.brand span { font-weight: 400; color: #c9d6e6; }
.top-bar nav ul { display: flex; flex-wrap: wrap; gap: .25rem .9rem; list-style: none; margin: 0; padding: 0; }
.top-bar nav a { text-decoration: none; padding: .2rem 0; border-bottom: 2px solid transparent; }
.top-bar nav a[aria-current="page"] { border-bottom-color: #ffffff; font-weight: 600; }
.session { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; }
.session form { margin: 0; }
.viewer { font-weight: 600; }
.quiet-link { font-size: .9rem; }
.link-button {
  background: none; border: 1px solid #c9d6e6; color: #ffffff; border-radius: 4px;
  padding: .15rem .55rem; font: inherit; cursor: pointer;
}
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.55rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.panel {
  background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
  padding: 1rem 1.1rem; margin: 0 0 1rem;
}
.muted, .hint { color: var(--muted); }
.stats {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
  gap: .6rem; margin: 0;
}
.stat { border: 1px solid var(--line); border-radius: 6px; padding: .55rem .7rem; background: var(--paper); }
.stat dt { font-size: .85rem; color: var(--muted); }
.stat dd { margin: .1rem 0 0; font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.stat dd.hint { font-size: .8rem; font-weight: 400; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
th, td { text-align: left; padding: .4rem .55rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.number, th.number { text-align: right; white-space: nowrap; }
tbody tr:hover { background: #f7f9fc; }
td.rate-cell { min-width: 11rem; }
td.rate-cell .detail { display: block; font-size: .8rem; color: var(--muted); }
.panel .table-wrap { margin-top: .75rem; }
.badge {
  display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem;
  border: 1px solid currentColor; white-space: nowrap;
}
.badge-good { color: var(--good); } .badge-bad { color: var(--bad); } .badge-warn { color: var(--warn); }
.badge-neutral { color: var(--muted); }
.decision { font-size: 1.1rem; font-weight: 700; }
.decision-promote { color: var(--good); } .decision-rollback { color: var(--bad); }
.decision-keep_testing { color: var(--warn); } .decision-invalid { color: var(--muted); }
form.stacked { display: grid; gap: .6rem; max-width: 34rem; }
form.stacked label { font-weight: 600; display: block; }
.form-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .6rem 1rem; align-items: end; }
.field label { display: block; font-size: .85rem; font-weight: 600; margin-bottom: .15rem; }
input[type="text"], input[type="password"], input[type="number"], input[type="date"], select, textarea {
  width: 100%; padding: .4rem .5rem; border: 1px solid #8a94a3; border-radius: 4px;
  font: inherit; background: var(--paper); color: var(--ink);
}
button, .button {
  display: inline-block; padding: .42rem .85rem; border-radius: 4px; border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-ink); font: inherit; cursor: pointer; text-decoration: none;
}
button.secondary, .button.secondary { background: var(--paper); color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.inline-form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0 0 1rem; }
.inline-form select, .inline-form input { width: auto; min-width: 10rem; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; }
.actions form { margin: 0; display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; }
.actions input[type="number"] { width: 5.5rem; }
.notice { padding: .6rem .8rem; border-radius: 6px; border: 1px solid; margin: 0 0 1rem; }
.notice-done { border-color: var(--good); color: var(--good); background: #eef7f0; }
.notice-error { border-color: var(--bad); color: var(--bad); background: #fbeeed; }
.secret {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 1rem;
  word-break: break-all; background: var(--wash); padding: .6rem; border: 1px dashed var(--muted);
}
pre, .message-text {
  white-space: pre-wrap; word-break: break-word; background: var(--wash); padding: .6rem;
  border-radius: 4px; margin: .3rem 0; font: .9rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
.prompt-role { font-weight: 600; font-size: .85rem; color: var(--muted); margin-top: .6rem; }
ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
ol.timeline li { position: relative; padding: .2rem 0 .6rem 1rem; }
ol.timeline li::before {
  content: ""; position: absolute; left: -7px; top: .55rem; width: 11px; height: 11px;
  border-radius: 50%; background: var(--accent);
}
ol.timeline time { color: var(--muted); font-size: .85rem; display: block; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); gap: 1rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .axis, svg.chart .grid { stroke: #b6bec9; stroke-width: 1; }
svg.chart .grid { stroke-dasharray: 3 3; }
svg.chart text { fill: var(--muted); font-size: 11px; }
svg.chart .series-0 { fill: var(--series-0); stroke: var(--series-0); }
svg.chart .series-1 { fill: var(--series-1); stroke: var(--series-1); }
svg.chart .series-2 { fill: var(--series-2); stroke: var(--series-2); }
svg.chart .series-3 { fill: var(--series-3); stroke: var(--series-3); }
svg.chart path.line { fill: none; stroke-width: 2.5; }
svg.chart rect.bar { stroke: none; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; list-style: none; padding: 0; margin: .3rem 0 0; font-size: .85rem; }
.legend li::before { content: ""; display: inline-block; width: .8rem; height: .8rem; margin-right: .35rem; vertical-align: -1px; }
.legend .series-0::before { background: var(--series-0); } .legend .series-1::before { background: var(--series-1); }
.legend .series-2::before { background: var(--series-2); } .legend .series-3::before { background: var(--series-3); }
.pager { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin-top: .75rem; }
.sign-in { max-width: 28rem; }
.window-picker a { margin-right: .6rem; }
.window-picker a[aria-current="true"] { font-weight: 700; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-word; }
@media (max-width: 640px) {
  main { padding: .75rem .6rem 2rem; }
  .top-bar { padding: .5rem .6rem; }
  .session { margin-left: 0; }
  h1 { font-size: 1.3rem; }
  .panel { padding: .75rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dt { margin-top: .4rem; }
}
`;
