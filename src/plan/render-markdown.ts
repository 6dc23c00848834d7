/**
 * The plan as GitHub-flavoured markdown for a pull request comment or
 * $GITHUB_STEP_SUMMARY: a summary table, then one collapsible section per
 * resource. Kept under GitHub's 65,536-character comment limit.
 */
import { advice, bodyLines, headline, summaryLine, SYMBOLS } from './render-common.js';
import { pluralise } from '../text.js';
import type { Change, Plan } from '../model/changes.js';

export const MARKDOWN_LIMIT = 65_000;

export function renderPlanMarkdown(plan: Plan): string {
  const head: string[] = ['### rosetta plan', '', summaryLine(plan.summary), ''];
  const rows = plan.changes.filter((c) => c.action !== 'noop');
  if (rows.length === 0) return `${head.join('\n')}No changes.\n`;

  // The table gets at most half the room, the details the rest; whatever does not fit is counted
  // in a note that says exactly how many were left out.
  let text = [...head, '| | resource | action |', '| --- | --- | --- |'].join('\n');
  let tabled = 0;
  for (const c of rows) {
    const row = `\n| \`${SYMBOLS[c.action].trim() || '·'}\` | \`${c.address}\` | ${c.action} |`;
    if (text.length + row.length > MARKDOWN_LIMIT / 2) break;
    text += row;
    tabled++;
  }
  if (tabled < rows.length) text += `\n| | _… ${rows.length - tabled} more_ | |`;
  text += '\n';

  let detailed = 0;
  for (const c of rows) {
    const section = `\n${details(c)}`;
    const rest = rows.length - detailed;
    if (text.length + section.length + note(rest).length > MARKDOWN_LIMIT) break;
    text += section;
    detailed++;
  }
  return detailed < rows.length ? text + note(rows.length - detailed) : text;
}

function note(rest: number): string {
  return `\n_… ${pluralise(rest, 'more resource')} not shown in detail (comment size limit); see the full plan in the job log._\n`;
}

function details(c: Change): string {
  const lines: string[] = [`<details><summary><code>${c.address}</code> ${escapeHtml(headline(c))}</summary>`, '', '```diff'];
  if (c.action === 'create') for (const l of bodyLines(c.body)) lines.push(`+ ${l}`);
  if (c.action === 'conflict') for (const f of c.fields) lines.push(`! ${f.field}`, ...f.lines.map((l) => `  ${l}`));
  if (c.action === 'update') for (const f of c.fields) lines.push(`~ ${f.field}`, ...f.lines.map((l) => `  ${l}`));
  lines.push('```');
  const hint = advice(c);
  if (hint) lines.push('', `**To proceed:** ${hint}`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
