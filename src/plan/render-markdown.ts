/**
 * The plan as GitHub-flavoured markdown for a pull request comment or
 * $GITHUB_STEP_SUMMARY: a summary table, then one collapsible section per
 * resource. Kept under GitHub's 65,536-character comment limit.
 */
import { advice, bodyLines, headline, summaryLine, SYMBOLS } from './render-common.js';
import type { Plan } from './types.js';

export const MARKDOWN_LIMIT = 65_000;

export function renderPlanMarkdown(plan: Plan): string {
  const head: string[] = ['### rosetta plan', '', summaryLine(plan.summary), ''];
  const rows = plan.changes.filter((c) => c.action !== 'noop');
  if (rows.length === 0) return `${head.join('\n')}No changes.\n`;
  head.push('| | resource | action |', '| --- | --- | --- |');
  for (const c of rows) head.push(`| \`${SYMBOLS[c.action].trim() || '·'}\` | \`${c.address}\` | ${c.action} |`);
  head.push('');

  const sections: string[] = [];
  for (const c of rows) {
    const lines: string[] = [`<details><summary><code>${c.address}</code> ${escapeHtml(headline(c))}</summary>`, '', '```diff'];
    if (c.action === 'create') for (const l of bodyLines(c.body)) lines.push(`+ ${l}`);
    if (c.action === 'conflict') for (const f of c.fields) lines.push(`! ${f.field}`, ...f.lines.map((l) => `  ${l}`));
    lines.push('```');
    const hint = advice(c);
    if (hint) lines.push('', `**To proceed:** ${hint}`);
    lines.push('', '</details>', '');
    sections.push(lines.join('\n'));
  }

  let text = head.join('\n');
  for (let i = 0; i < sections.length; i++) {
    const rest = sections.length - i;
    const note = `\n_… ${rest} more ${rest === 1 ? 'resource' : 'resources'} not shown (comment size limit); see the full plan in the job log._\n`;
    if (text.length + sections[i]!.length + note.length > MARKDOWN_LIMIT) return text + note;
    text += `\n${sections[i]}`;
  }
  return text;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
