/** Pieces shared by the text and markdown renderers. */
import { createHeadline, heldAdvice } from '../kinds/index.js';
import { entriesOf } from '../model/known-keys.js';
import { pluralise, printable } from '../text.js';
import { SHOWN_ENTRIES, short } from './field-diff.js';
import { assertNever, type Change, type Summary } from '../model/changes.js';

export const SYMBOLS: Record<Change['action'], string> = { create: '+', update: '~', noop: ' ', conflict: '!', pending: '?', held: '=', orphan: '-', drift: '~' };

/** One line saying what happens to a resource and why. */
export function headline(change: Change): string {
  switch (change.action) {
    case 'create':
      return createHeadline(change);
    case 'update':
      return `will be updated in place: ${change.fields.map((f) => f.field).join(', ')} (POST /folder/update, the one update the API has; safe to repeat)`;
    case 'noop':
      return 'is up to date';
    case 'conflict':
      return `was applied with a different spec; the API cannot update it${change.fields.length > 0 ? ` (changed: ${change.fields.map((f) => f.field).join(', ')})` : ''}`;
    case 'pending':
      // The reason may quote a server's message.
      return `has a sampling create sent at ${change.startedAt} whose outcome is unknown; nothing will be sent${change.reason ? ` (${printable(change.reason)})` : ''}`;
    case 'held':
      return `is held back: ${change.dependsOn} existed before this state (adopted${change.adoptedCode === undefined ? '' : `, ${change.adoptedCode}`}), so a sampling package may exist already; nothing will be sent`;
    case 'orphan':
      return 'is in state but no longer in the manifests; the API cannot delete it, nothing will be sent';
    case 'drift':
      return change.missingPackage !== undefined
        ? `drifted: the platform does not find sampling package ${change.missingPackage} (57008); nothing will be sent`
        : `drifted: the platform's request differs from what was sent (${(change.fields ?? []).join(', ')}); the API cannot update it, nothing will be sent`;
    default:
      return assertNever(change);
  }
}

/** What the user can do about a change that needs them, if anything. */
export function advice(change: Change): string | undefined {
  switch (change.action) {
    case 'create':
      return change.renamedFrom
        ? `${change.renamedFrom} (in state, no longer in the manifests) has exactly this body: if you renamed it, run rosetta state mv ${change.renamedFrom} ${change.address} instead of creating another`
        : undefined;
    case 'conflict':
      return `to create a new one, give it a new metadata.name; to stop tracking the applied one: rosetta state rm ${change.address}`;
    case 'pending':
      return `find the package on the platform, then: rosetta state resolve ${change.address} --sampling-package-id <id>, or if it was not created: --not-created`;
    case 'held':
      return heldAdvice(change.address);
    case 'orphan':
      return `to stop tracking it: rosetta state rm ${change.address}`;
    case 'drift':
      return change.missingPackage !== undefined
        ? `if the package was removed on purpose and you want a new one: rosetta state rm ${change.address}, then apply`
        : 'it was changed outside rosetta; to create a fresh one, give the manifest a new metadata.name';
    default:
      return undefined;
  }
}

/** The body of a create as `field: value` lines; big maps and lists are summarised. */
export function bodyLines(body: object): string[] {
  const lines: string[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // Counted and sampled from the key list: a map may hold a million scenes.
      const { keys, valueAt } = entriesOf(value);
      const size = keys.length;
      const shown = size <= SHOWN_ENTRIES * 2 ? size : SHOWN_ENTRIES;
      lines.push(size === shown ? `${field}:` : `${field}: (${size} entries)`);
      for (let i = 0; i < shown; i++) lines.push(`  ${keys[i]}: ${short(valueAt(i))}`);
      if (size > shown) lines.push(`  … and ${size - shown} more`);
    } else if (Array.isArray(value) && value.length > SHOWN_ENTRIES * 2) {
      lines.push(`${field}: (${value.length} items) ${short(value.slice(0, SHOWN_ENTRIES))} …`);
    } else {
      lines.push(`${field}: ${short(value)}`);
    }
  }
  return lines;
}

export function summaryLine(summary: Summary): string {
  const parts = [`${summary.create} to create`];
  if (summary.update) parts.push(`${summary.update} to update`);
  parts.push(`${summary.noop} unchanged`);
  if (summary.conflict) parts.push(pluralise(summary.conflict, 'conflict'));
  if (summary.pending) parts.push(`${summary.pending} pending`);
  if (summary.held) parts.push(`${summary.held} held back`);
  if (summary.orphan) parts.push(pluralise(summary.orphan, 'orphan'));
  if (summary.drift) parts.push(`${summary.drift} drifted`);
  return `Plan: ${parts.join(', ')}.`;
}
