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
