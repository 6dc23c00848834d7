/**
 * Field-level differences between an applied body and a desired one, short
 * enough to read in a terminal or a pull request: big maps and lists are
 * summarised (counts plus the first few differences), never printed whole.
 */
import { diffArrays } from 'diff';
import { canonicalJson } from '../model/digest.js';
import { LargeMap } from '../model/large-map.js';
import { isObject } from '../values.js';
import type { FieldChange } from '../model/changes.js';

/** How many differing entries of a map or list to show before summarising. */
export const SHOWN_ENTRIES = 5;

export function fieldChanges(applied: Record<string, unknown>, desired: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(applied), ...Object.keys(desired)])].sort();
  const out: FieldChange[] = [];
  for (const field of fields) {
    // A conflict is rare and shown in detail: a LargeMap (a million-scene map) is made an object here.
    const before = asObject(applied[field]);
    const after = asObject(desired[field]);
    if (same(before, after)) continue;
    out.push({ field, lines: describe(before, after) });
  }
  return out;
}

function describe(before: unknown, after: unknown): string[] {
  if (isObject(before) && isObject(after)) return mapLines(before, after);
  if (Array.isArray(before) && Array.isArray(after)) return listLines(before, after);
  const lines: string[] = [];
  if (before !== undefined) lines.push(`- ${short(before)}`);
  if (after !== undefined) lines.push(`+ ${short(after)}`);
  return lines;
}

function mapLines(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) removed.push(key);
    else if (!same(before[key], after[key])) changed.push(key);
  }
  for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) added.push(key);
  const lines = [`${added.length} added, ${removed.length} removed, ${changed.length} changed (of ${Object.keys(before).length} → ${Object.keys(after).length})`];
  const detail = [
    ...removed.map((k) => `- ${k}: ${short(before[k])}`),
    ...added.map((k) => `+ ${k}: ${short(after[k])}`),
    ...changed.map((k) => `~ ${k}: ${short(before[k])} → ${short(after[k])}`),
  ];
  lines.push(...detail.slice(0, SHOWN_ENTRIES));
  if (detail.length > SHOWN_ENTRIES) lines.push(`… and ${detail.length - SHOWN_ENTRIES} more`);
  return lines;
}

function listLines(before: unknown[], after: unknown[]): string[] {
  // Bounded: diff can take minutes on large unrelated inputs without maxEditLength.
  const parts = diffArrays(before.map(short), after.map(short), { maxEditLength: 1000, timeout: 200 });
  if (!parts) return [`- ${before.length} items`, `+ ${after.length} items`];
  const detail: string[] = [];
  for (const part of parts) {
    if (part.added) detail.push(...part.value.map((v) => `+ ${v}`));
    else if (part.removed) detail.push(...part.value.map((v) => `- ${v}`));
  }
  const lines = detail.slice(0, SHOWN_ENTRIES);
  if (detail.length > SHOWN_ENTRIES) lines.push(`… and ${detail.length - SHOWN_ENTRIES} more`);
  return lines;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

export function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function asObject(value: unknown): unknown {
  return value instanceof LargeMap ? value.toJSON() : value;
}
