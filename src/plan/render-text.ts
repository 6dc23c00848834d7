/** The plan for a terminal: Terraform-like symbols, deterministic, no timestamps of its own. */
import { advice, bodyLines, headline, summaryLine, SYMBOLS } from './render-common.js';
import { pluralise } from '../text.js';
import type { Plan } from '../model/changes.js';

export function renderPlanText(plan: Plan): string {
  return [...planTextChunks(plan)].join('');
}

/** The text plan a change at a time: 50,000 creates are megabytes of text, written as they are made. */
export function* planTextChunks(plan: Plan): Generator<string> {
  const shown = plan.changes.filter((c) => c.action !== 'noop');
  if (shown.length === 0) {
    yield `No changes. ${pluralise(plan.summary.noop, 'resource')} ${plan.summary.noop === 1 ? 'is' : 'are'} up to date.\n`;
    return;
  }
  yield 'rosetta will perform these actions:\n\n';
  let pending = '';
  for (const change of shown) {
    const out: string[] = [];
    out.push(`  ${SYMBOLS[change.action]} ${change.address} ${headline(change)}`);
    if (change.origin) out.push(`      (made by Generator/${change.origin.generator} from row ${change.origin.row}${change.origin.file ? ` of ${change.origin.file}` : ''})`);
    if (change.action === 'create') for (const line of bodyLines(change.body)) out.push(`      ${line}`);
    if (change.action === 'conflict' || change.action === 'update') {
      for (const field of change.fields) {
        out.push(`      ~ ${field.field}`);
        for (const line of field.lines) out.push(`          ${line}`);
      }
      if (change.action === 'conflict' && change.fields.length === 0) out.push(`      (the applied body is not available; digests ${change.appliedDigest.slice(0, 19)}… → ${change.digest.slice(0, 19)}…)`);
    }
    const hint = advice(change);
    if (hint) out.push(`      → ${hint}`);
    pending += `${out.join('\n')}\n\n`;
    if (pending.length >= 64 * 1024) {
      yield pending;
      pending = '';
    }
  }
  const tail = [summaryLine(plan.summary)];
  if (plan.summary.conflict > 0) tail.push('Conflicts must be resolved before apply: the API has no update.');
  yield `${pending}${tail.join('\n')}\n`;
}
