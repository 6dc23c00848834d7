/**
 * Finds manifest files and reads them defensively: a size cap checked before
 * reading, UTF-8 only, byte-order mark removed.
 */
import { readFile, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import type { Diagnostic } from './diagnostics.js';

/** 256 MiB: room for an annotation request with a million scenes (~60 MB) and more. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface SourceFile {
  /** As shown to the user: relative to the working directory when inside it. */
  display: string;
  text: string;
}

/** Expands file and directory arguments into a sorted, de-duplicated list of YAML files. */
export async function findManifestFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const path of paths.length > 0 ? paths : ['.']) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      diagnostics.push(fileProblem(displayPath(absolute, cwd), 'files.not-found', 'no such file or directory'));
    } else if (info.isDirectory()) {
      // dot: false skips dot-folders (.git, .rosetta) and dot-files.
      const matches = await glob(['**/*.yaml', '**/*.yml'], {
        cwd: absolute,
        absolute: true,
        dot: false,
        ignore: ['**/node_modules/**'],
      });
      if (matches.length === 0) {
        diagnostics.push(
          fileProblem(displayPath(absolute, cwd), 'files.empty-dir', 'no .yaml or .yml files found in this directory'),
        );
      }
      for (const match of matches) found.add(resolve(match));
    } else {
      found.add(absolute);
    }
  }
  return { files: [...found].sort(), diagnostics };
}

export async function readSourceFile(
  absolute: string,
  cwd: string,
  maxBytes: number,
): Promise<{ ok: true; file: SourceFile } | { ok: false; diagnostic: Diagnostic }> {
  const display = displayPath(absolute, cwd);
  const info = await stat(absolute);
  if (info.size > maxBytes) {
    return {
      ok: false,
      diagnostic: fileProblem(display, 'files.too-large', `file is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit`, 'split it, or raise the limit with --max-file-size'),
    };
  }
  const bytes = await readFile(absolute);
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, diagnostic: fileProblem(display, 'files.encoding', 'file is UTF-16; manifests must be UTF-8', 'save the file as UTF-8') };
  }
  if (!isUtf8(bytes)) {
    const text = bytes.toString('utf8');
    const at = text.indexOf('\uFFFD');
    const before = text.slice(0, Math.max(at, 0));
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    return {
      ok: false,
      diagnostic: { rule: 'files.encoding', file: display, line, col, message: 'file is not valid UTF-8', hint: 'save the file as UTF-8' },
    };
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, file: { display, text } };
}

export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel === '' ? '.' : rel.startsWith('..') ? absolute : rel;
}

/** "256MB", "64 MiB", "1g", "1048576" → bytes. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0] as 'b' | 'k' | 'm' | 'g';
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit];
  return Math.floor(Number(match[1]) * factor);
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

function fileProblem(file: string, rule: string, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { rule, file, line: 0, col: 0, message } : { rule, file, line: 0, col: 0, message, hint };
}
