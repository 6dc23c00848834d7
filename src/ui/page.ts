/**
 * The dashboard page, rendered on the server: plain HTML, every text escaped (names, messages,
 * reasons and file names come from files and servers), no inline script or style (the CSP allows
 * only /ui/style.css and /ui/app.js), readable on a phone and in dark mode. app.js fetches the
 * page again every few seconds and swaps in its <main>: one renderer, here.
 */
import { printable } from '../text.js';
import type { AttentionView, CycleRecord, DashboardData, ResourceView } from './data.js';

export const REFRESH_MS = 5_000;

/** Text for HTML: control characters made visible (\u001b), then the five that could end one, as entities. */
export function esc(text: unknown): string {
  return printable(String(text ?? '')).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A commit's first 12 characters; any other revision (unversioned-…) whole. */
function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 12) : revision;
}

export function renderPage(data: DashboardData, title = 'rosetta'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/style.css">
<script src="/ui/app.js" defer></script>
</head>
<body data-refresh-ms="${REFRESH_MS}">
${renderHeader(data, title)}
${renderMain(data)}
</body>
</html>
`;
}

function renderHeader(data: DashboardData, title: string): string {
  const role = data.leading === null ? 'no controller: this state as CI left it' : data.leading ? 'leader: this replica applies' : 'standby: another replica applies';
  return `<header><h1>${esc(title)}</h1><p class="role" id="role">${esc(role)}</p><p class="at">updated <time datetime="${esc(data.at)}">${esc(data.at.replace('T', ' ').slice(0, 19))} UTC</time><span class="offline-note"> · not reachable, showing the last view</span></p></header>`;
}

export function renderMain(data: DashboardData): string {
  return `<main>
${renderAttention(data.attention)}
${renderResources(data.resources)}
${data.leading === null ? '' : renderCycles(data.cycles)}
</main>`;
}

function renderAttention(items: readonly AttentionView[]): string {
  if (items.length === 0) return '<section id="attention"><h2>Needs a person</h2><p class="calm">Nothing needs a person.</p></section>';
  const li = items.map((a) => {
    const extra = [
      a.fields && a.fields.length > 0 ? `<p class="fields">changed: ${a.fields.map((f) => `<code>${esc(f)}</code>`).join(', ')}</p>` : '',
      a.code !== undefined || a.requestId !== undefined ? `<p class="ids">${a.code === undefined ? '' : `code <code>${esc(a.code)}</code>`}${a.requestId === undefined ? '' : ` requestId <code>${esc(a.requestId)}</code>`}</p>` : '',
      a.command ? `<pre class="command"><code>${esc(a.command)}</code></pre>` : '',
    ].join('');
    return `<li class="item reason-${esc(a.reason)}"><p class="what"><span class="badge">${esc(a.reason)}</span> <code class="address">${esc(a.address)}</code></p><p class="detail">${esc(a.detail)}</p>${extra}</li>`;
  });
  return `<section id="attention"><h2>Needs a person <span class="count">${items.length}</span></h2><ul class="items">${li.join('')}</ul></section>`;
}

function renderResources(resources: readonly ResourceView[]): string {
  if (resources.length === 0) return '<section id="resources"><h2>Resources</h2><p class="calm">No resources in state.</p></section>';
  const groups = new Map<string, ResourceView[]>();
  for (const r of resources) groups.set(r.kind, [...(groups.get(r.kind) ?? []), r]);
  const tables = [...groups].map(([kind, rows]) => {
    const progress = rows.some((r) => r.completion !== undefined);
    const head = ['name', 'status', ...(progress ? ['progress'] : []), 'id', 'applied', 'from'];
    const body = rows.map((r) => {
      const cells = [
        cell('name', `<code>${esc(r.name)}</code>`),
        cell('status', `<span class="status status-${esc(r.status.toLowerCase())}">${esc(r.status)}</span>`),
        ...(progress ? [cell('progress', r.completion === undefined ? '' : `<progress max="100" value="${esc(r.completion)}">${esc(r.completion)}%</progress> <span class="percent">${esc(formatPercent(r.completion))}</span>`)] : []),
        cell('id', `<code>${esc(r.id)}</code>`),
        cell('applied', r.appliedAt ? `<time datetime="${esc(r.appliedAt)}">${esc(r.appliedAt.replace('T', ' ').slice(0, 16))}</time>` : ''),
        cell('from', [r.revision ? `<code>${esc(shortRevision(r.revision))}</code>` : '', r.file ? `<code>${esc(r.file)}</code>` : ''].filter(Boolean).join(' ')),
      ];
      return `<tr data-address="${esc(r.address)}">${cells.join('')}</tr>`;
    });
    return `<h3>${esc(kind)} <span class="count">${rows.length}</span></h3><table class="grid"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
  });
  return `<section id="resources"><h2>Resources <span class="count">${resources.length}</span></h2>${tables.join('')}</section>`;
}

function renderCycles(cycles: readonly CycleRecord[]): string {
  if (cycles.length === 0) return '<section id="cycles"><h2>Last cycles</h2><p class="calm">No cycle has run yet.</p></section>';
  const rows = cycles.map((c) => {
    const counts = c.applied ? Object.entries(c.applied).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') : c.plan ? Object.entries(c.plan).filter(([k, n]) => n > 0 && k !== 'noop').map(([k, n]) => `${n} ${k}`).join(', ') : '';
    return `<tr class="cycle result-${esc(c.result)}">${[
      cell('#', esc(c.number)),
      cell('revision', c.revision ? `<code>${esc(shortRevision(c.revision))}</code>` : ''),
      cell('result', `<span class="status status-${esc(c.result)}">${esc(c.result)}</span>${c.reason ? ` <span class="reason">${esc(c.reason)}</span>` : ''}`),
      cell('took', esc(`${(c.durationMs / 1000).toFixed(1)} s`)),
      cell('counts', esc(counts || 'nothing to do')),
      cell('ended', `<time datetime="${esc(c.endedAt)}">${esc(c.endedAt.replace('T', ' ').slice(0, 19))}</time>`),
    ].join('')}</tr>`;
  });
  return `<section id="cycles"><h2>Last cycles</h2><table class="grid"><thead><tr>${['#', 'revision', 'result', 'took', 'counts', 'ended'].map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** A cell that says what it is on a phone, where rows become cards. */
function cell(label: string, html: string): string {
  return `<td data-label="${esc(label)}">${html}</td>`;
}

function formatPercent(completion: number): string {
  return `${Number.isInteger(completion) ? completion : completion.toFixed(1)}%`;
}
