/**
 * The page's stylesheet and script, served from this origin (the CSP allows nothing else): no
 * CDN, no web font, nothing fetched from elsewhere. Light and dark by the system's setting; on a
 * narrow screen a table's rows become cards, so nothing is wider than the phone.
 */
export const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --ok: #3fb950; --bad: #f85149; --warn: #d29922; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: baseline; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0; font-size: 1.2rem; }
header p { margin: 0; color: var(--muted); }
.offline-note { display: none; color: var(--bad); }
body.offline .offline-note { display: inline; }
main { padding: 0 1rem 2rem; max-width: 80rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; color: var(--muted); }
.count { color: var(--muted); font-weight: normal; }
.calm { color: var(--muted); }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; word-break: break-word; }
pre { margin: .25rem 0 0; padding: .4rem .6rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; }
.items { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
.item { border: 1px solid var(--line); border-left: 4px solid var(--warn); border-radius: 6px; padding: .5rem .75rem; background: var(--panel); min-width: 0; }
.item.reason-pending, .item.reason-failed { border-left-color: var(--bad); }
.item p { margin: .15rem 0; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: 12px; padding: 0 .4rem; border-radius: 999px; border: 1px solid currentColor; color: var(--warn); }
.reason-pending .badge, .reason-failed .badge { color: var(--bad); }
table.grid { width: 100%; border-collapse: collapse; table-layout: auto; }
table.grid th, table.grid td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
table.grid th { color: var(--muted); font-weight: 600; font-size: 13px; }
.status { font-weight: 600; }
.status-finished, .status-exists, .status-active, .status-success { color: var(--ok); }
.status-failed, .status-not_found, .status-id_not_exists, .status-unknown, .status-pending, .status-invalid { color: var(--bad); }
.status-processing, .status-unverifiable, .status-inactive { color: var(--warn); }
.reason { color: var(--muted); font-weight: normal; }
progress { width: 7rem; height: .7rem; vertical-align: middle; accent-color: var(--accent); }
@media (max-width: 40rem) {
  table.grid, table.grid thead, table.grid tbody, table.grid tr, table.grid th, table.grid td { display: block; }
  table.grid thead { display: none; }
  table.grid tr { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .25rem 0; }
  table.grid td { border: 0; padding: .15rem .6rem; }
  table.grid td::before { content: attr(data-label); display: block; font-size: 12px; color: var(--muted); }
  table.grid td:empty { display: none; }
  progress { width: 60%; }
}
`;

/** Refreshes the page every data-refresh-ms: fetches it again and swaps in the new header and main. */
export const SCRIPT = `'use strict';
(function () {
  var every = Number(document.body.getAttribute('data-refresh-ms')) || 5000;
  function swap(doc, selector) {
    var fresh = doc.querySelector(selector);
    var old = document.querySelector(selector);
    if (fresh && old) old.replaceWith(document.adoptNode(fresh));
  }
  function refresh() {
    fetch(location.pathname, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html' } })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        swap(doc, 'header');
        swap(doc, 'main');
        document.body.classList.remove('offline');
      })
      .catch(function () { document.body.classList.add('offline'); })
      .finally(function () { setTimeout(refresh, every); });
  }
  setTimeout(refresh, every);
})();
`;
