/**
 * Checks the spec rules of several kinds share: byte limits, blank names, invisible characters at
 * the edges of ids, strings that cannot be sent, callback URLs, dates. Pure: a rule reports
 * through `report`, which the manifest stage turns into a positioned diagnostic.
 */
import { isLoopbackHost } from '../model/hosts.js';
import { codePointLabel } from '../text.js';
import type { PathSegment, Spec, SpecReport } from './types.js';

/** The API's limit for ids and names, in UTF-8 bytes. */
export const MAX_ID_BYTES = 255;

/** Each of `fields` (a string) is at most `limit` bytes in UTF-8: the API counts bytes, not characters. */
export function checkByteLimits(spec: Spec, fields: readonly string[], report: SpecReport, limit = MAX_ID_BYTES): void {
  for (const field of fields) {
    const value = spec[field];
    if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > limit) {
      report([field], 'rules.byte-limit', `spec.${field}: must be at most ${limit} bytes in UTF-8, found ${Buffer.byteLength(value, 'utf8')}`, 'the API counts bytes, not characters: shorten it');
    }
  }
}

export function stringProblem(text: string): string | undefined {
  if (!text.isWellFormed()) return 'contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which cannot be sent as UTF-8';
  if (text.includes('\u0000')) return 'contains a NUL character';
  return undefined;
}

export const EDGE_HINT = 'remove it: the character would be sent as part of the value, and reviewers cannot see it';

/** Says which invisible character a text starts or ends with, if any. */
export function edgeProblem(text: string): string | undefined {
  if (text === '') return undefined;
  const first = text.charCodeAt(0);
  if (isSpaceLike(first)) return `starts with ${describeCodePoint(first)}`;
  const last = text.charCodeAt(text.length - 1);
  if (isSpaceLike(last)) return `ends with ${describeCodePoint(last)}`;
  return undefined;
}

/** Whitespace by JavaScript's or Unicode's reckoning, controls, and the zero-width characters people paste by accident. */
function isSpaceLike(code: number): boolean {
  if (code > 32 && code < 127) return false; // the common case, decided at once
  return code <= 32 || (code >= 127 && code <= 0xa0) || code === 0x1680 || (code >= 0x2000 && code <= 0x200d) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x2060 || code === 0x3000 || code === 0xfeff;
}

const CODE_POINT_NAMES: Readonly<Record<number, string>> = {
  0x09: 'a tab',
  0x0a: 'a line feed',
  0x0d: 'a carriage return',
  0x20: 'a space',
  0x85: 'U+0085 (next line)',
  0xa0: 'U+00A0 (no-break space)',
  0x2028: 'U+2028 (line separator)',
  0x2029: 'U+2029 (paragraph separator)',
  0x200b: 'U+200B (zero-width space)',
  0x3000: 'U+3000 (ideographic space)',
  0xfeff: 'U+FEFF (zero-width no-break space, a byte order mark)',
};

function describeCodePoint(code: number): string {
  return CODE_POINT_NAMES[code] ?? `${codePointLabel(code)} (an invisible or space character)`;
}

export function checkCallback(value: unknown, path: PathSegment[], report: SpecReport): void {
  if (typeof value !== 'string' || value === '') return;
  const problem = callbackProblem(value);
  if (problem) report(path, 'rules.callback-url', `spec.${path.join('.')}: ${problem}`, 'use an absolute https:// URL (http:// only for localhost)');
}

/** Callback URLs must be absolute https, or http on a loopback host. */
export function callbackProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `not an absolute URL: ${JSON.stringify(value)}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  if (url.protocol === 'http:') return `plain http is allowed only for a loopback host, found ${JSON.stringify(value)}`;
  return `expected an https URL, found ${JSON.stringify(value)}`;
}

/** Names the platform shows to people: whitespace alone is no name. */
export function checkNotBlank(spec: Spec, field: string, report: SpecReport): void {
  const value = spec[field];
  if (typeof value === 'string' && value !== '' && value.trim() === '') report([field], 'rules.blank', `spec.${field}: must not be only whitespace`);
}

/**
 * The schema's pattern checks the shape (2025-03-13 or 2025-03-13 20:00[:00]); this checks that it
 * is a real date and time: no February 30th, no hour 25. Undefined when the shape itself is wrong
 * (the schema reports that).
 */
export function timeProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month! < 1 || month! > 12) return `month ${match[2]} does not exist`;
  const days = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (day! < 1 || day! > days) return `${year}-${match[2]} has no day ${match[3]}`;
  if (hour > 23 || minute > 59 || second > 59) return `${match[4]}:${match[5]}${match[6] ? `:${match[6]}` : ''} is not a time of day`;
  return undefined;
}

/**
 * An identity the manifest may give (`campaignId`) or leave to be derived from what a reference
 * resolves to (the folder's name) and metadata.name: stable on every machine, so re-runs are safe.
 */
export function givenOrDerived(spec: Spec, field: string, from: string | undefined, name: string, derive: (from: string, name: string) => string): string | undefined {
  const given = spec[field];
  if (typeof given === 'string') return given;
  return from === undefined ? undefined : derive(from, name);
}
