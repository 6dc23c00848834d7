/** Small text helpers shared by renderers and commands. */
export function pluralise(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides:
 * in a terminal or a CI log they can move the cursor, retitle the window, clear the screen, start
 * a new line that forges a `::error::` workflow command, or reorder what is shown.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of text that came from outside (a server's message, a file's name or content), made
 * safe to print: every unprintable character becomes a visible `\uXXXX` escape.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A character as people look it up: U+00A0. */
export function codePointLabel(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Longest excerpt of a string value an error quotes: a file may hold anything, secrets included. */
export const MAX_EXCERPT_CHARS = 20;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data (!!binary)';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') {
    // JSON.stringify escapes control characters; printing escapes the rest.
    return value.length > MAX_EXCERPT_CHARS ? `string ${JSON.stringify(`${value.slice(0, MAX_EXCERPT_CHARS)}…`)} (${value.length} characters)` : `string ${JSON.stringify(value)}`;
  }
  if (typeof value === 'number' && Number.isNaN(value)) return 'not-a-number (.nan)';
  if (typeof value === 'number' && !Number.isFinite(value)) return `infinity (${value > 0 ? '.inf' : '-.inf'})`;
  if (typeof value === 'number' && !Number.isInteger(value)) return `number ${value}`;
  return `${typeof value} ${String(value)}`;
}

/** "a" or "an" before a word, by its first letter (kinds and field names: "an AnnotationRequest"). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
