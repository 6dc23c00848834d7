/**
 * A problem found in a manifest, with where it is. Validation collects these as
 * values (like terraform's diagnostics) and the CLI renders them once, sorted.
 */
import { printable } from '../text.js';

export interface Diagnostic {
  /** Stable identifier of the rule, e.g. `schema.required` or `cross.duplicate-name`. */
  rule: string;
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  col: number;
  message: string;
  hint?: string;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

export function formatDiagnostic(d: Diagnostic): string {
  // A file name or an excerpt may hold anything: escaped, so each diagnostic stays one line.
  const where = printable(d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file);
  const hint = d.hint ? `\n  hint: ${printable(d.hint)}` : '';
  return `${where}: error: ${printable(d.message)}${hint}`;
}

/** GitHub Actions workflow command, so the error shows inline in a pull request. */
export function formatGithubAnnotation(d: Diagnostic): string {
  const escape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string) => escape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const where = d.line > 0 ? `file=${property(d.file)},line=${d.line},col=${d.col}` : `file=${property(d.file)}`;
  return `::error ${where}::${escape(d.hint ? `${d.message} (hint: ${d.hint})` : d.message)}`;
}
