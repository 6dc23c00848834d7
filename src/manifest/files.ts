/**
 * Finds manifest files and reads them defensively: only regular files (not
 * devices, pipes or /proc entries that lie about their size), symlinks found in
 * a directory only when they stay inside it, each file read once however many
 * paths lead to it, a size cap checked on the opened file and while reading,
 * UTF-8 text only, byte-order mark removed.
 *
 * Synchronous on purpose: files are read one after another anyway, and a promise-based open,
 * stat, read and close cost four trips through libuv's thread pool per file (1,000 small
 * manifests spent more time waiting for those than parsing).
 */
import bytes from 'bytes';
import { type Dirent, type Stats, closeSync, constants, fstatSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from './diagnostics.js';

/** 256 MiB: room for an annotation request with a million scenes (~60 MB) and more. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface SourceFile {
  /** As shown to the user: relative to the working directory when inside it. */
  display: string;
  text: string;
  /**
   * Reads the file again, synchronously, for source positions after its text was let go (50,000
   * small manifests would otherwise keep all their text until the last one is checked). Undefined
   * when it is no longer a readable regular file.
   */
  reread?: () => SourceFile | undefined;
}

/** Expands file and directory arguments into a sorted, de-duplicated list of YAML files. */
export async function findManifestFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: string[]; diagnostics: Diagnostic[]; skippedDotFiles: string[] }> {
  /** Real path → the path it was found by (the first, in sorted order). */
  const found = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const skippedDotFiles: string[] = [];
  const add = (real: string, path: string) => {
    const earlier = found.get(real);
    if (earlier === undefined || path < earlier) found.set(real, path);
  };
  for (const path of paths.length > 0 ? paths : ['.']) {
    const absolute = resolve(cwd, path);
    const info = statIfAny(absolute);
    if (!info) {
      diagnostics.push(fileProblem(displayPath(absolute, cwd), 'files.not-found', 'no such file or directory'));
    } else if (info.isDirectory()) {
      const root = realpathSync.native(absolute);
      // One walk finds the manifests and the dot-files beside them: dot-files (CI definitions such
      // as .gitlab-ci.yml) are skipped on purpose, but counted.
      const all = yamlFilesUnder(absolute, root);
      const matches = all.filter((file) => !file.dotFile);
      skippedDotFiles.push(...all.filter((file) => file.dotFile).map((f) => displayPath(f.path, cwd)));
      if (matches.length === 0) {
        diagnostics.push(
          fileProblem(displayPath(absolute, cwd), 'files.empty-dir', 'no .yaml or .yml files found in this directory'),
        );
      }
      for (const { path: match, real } of matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
        if (real === undefined) {
          diagnostics.push(fileProblem(displayPath(match, cwd), 'files.broken-link', 'a symbolic link to nothing'));
        } else if (real !== root && !real.startsWith(root + sep)) {
          diagnostics.push(
            fileProblem(displayPath(match, cwd), 'files.outside-root', `a symbolic link that leads outside ${displayPath(absolute, cwd)}`, 'name the file itself on the command line if you mean to read it'),
          );
        } else {
          add(real, match);
        }
      }
    } else {
      // Named on the command line: the user chose it, wherever a link leads (readSourceFile still
      // refuses anything but a regular file).
      add(realpathSync.native(absolute), absolute);
    }
  }
  return { files: [...found.values()].sort(), diagnostics, skippedDotFiles: skippedDotFiles.sort() };
}

const YAML_NAME = /\.ya?ml$/i;

/** A YAML file found in a folder: the path it was found by, its real path (undefined for a broken link), whether it is a dot-file. */
interface FoundFile {
  path: string;
  real: string | undefined;
  dotFile: boolean;
}

/**
 * Every .yaml and .yml file (in any case: .YAML from Windows tools is the same format) under
 * `dir` (whose real path is `realDir`), dot-files included, by the path it was found under.
 * Dot-folders (.git, .rosetta) and node_modules are not entered. Links are followed, a linked
 * folder once however many links lead to it (a loop ends there; the caller refuses what leads
 * outside the root); a link to anything else, a broken one included, is listed for the caller to
 * check. Real paths are worked out as the walk goes, so only a link costs a realpath call (one for
 * each of 1,000 files was a twentieth of a small plan). (tinyglobby did this walk; its pattern
 * compiler and file crawler were a tenth of a small plan's start-up.)
 */
function yamlFilesUnder(dir: string, realDir: string): FoundFile[] {
  const found: FoundFile[] = [];
  const entered = new Set<string>([realDir]);
  const walk = (folder: string, realFolder: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      entries = [];
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const link = entry.isSymbolicLink();
      let isFolder = entry.isDirectory();
      let real: string | undefined = link ? undefined : join(realFolder, entry.name);
      if (link) {
        isFolder = statIfAny(path)?.isDirectory() ?? false;
        real = realpathIfAny(path);
        if (isFolder) {
          if (real === undefined || entered.has(real)) continue;
          entered.add(real);
        }
      }
      if (isFolder) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(path, real!);
      } else if (YAML_NAME.test(entry.name)) {
        found.push({ path, real, dotFile: entry.name.startsWith('.') });
      }
    }
  };
  walk(resolve(dir), realDir);
  return found;
}

type ReadResult = { ok: true; file: SourceFile } | { ok: false; diagnostic: Diagnostic };

/** Files bigger than this are decoded by Node straight into a string (see readSourceFile). */
const BIG_FILE = 8 * 1024 * 1024;

export async function readSourceFile(absolute: string, cwd: string, maxBytes: number): Promise<ReadResult> {
  const display = displayPath(absolute, cwd);
  const tooLarge = (size: string) => ({
    ok: false as const,
    diagnostic: fileProblem(display, 'files.too-large', `file is ${size}, over the ${formatBytes(maxBytes)} limit`, 'split it, or raise the limit with --max-file-size'),
  });
  // O_NONBLOCK: opening a named pipe must not wait for a writer. Checks are on the opened file, so
  // what is checked is what is read.
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      return { ok: false, diagnostic: fileProblem(display, 'files.not-regular', 'not a regular file (a device, pipe or socket); only YAML files are read') };
    }
    if (info.size > maxBytes) return tooLarge(formatBytes(info.size));
    const reread = () => rereadSync(absolute, display, maxBytes);
    let fromStart = false;
    if (info.size > BIG_FILE) {
      // A big file is decoded by Node in C++ straight into a string: its bytes in a Buffer stay
      // alive outside V8's heap until a collection notices them (a million-scene plan peaked at
      // 360 MB instead of 290 MB). Text with a replacement character or a NUL byte is read again
      // as bytes below, which says exactly what is wrong (or that it is fine).
      const text = readFileSync(fd, 'utf8');
      if (Buffer.byteLength(text, 'utf8') > maxBytes) return tooLarge(`more than ${formatBytes(maxBytes)}`);
      if (!text.includes('\uFFFD') && !text.includes('\u0000')) {
        return { ok: true, file: { ...textFile(display, text), reread } };
      }
      fromStart = true;
    }
    // Read until the end, never more than one byte past the cap: some files (/proc) report a size
    // of 0 and hold more, and a file may grow while it is read.
    // Sized to the file (one byte more shows whether it grew): 50,000 small manifests each given
    // a 64 KiB buffer showed as hundreds of megabytes of peak memory. Size 0 (/proc) starts at 64 KiB.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, info.size > 0 ? info.size + 1 : 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return tooLarge(`more than ${formatBytes(maxBytes)}`);
        buffer = Buffer.concat([buffer, Buffer.allocUnsafe(Math.min(maxBytes + 1, length * 2) - length)]);
      }
      const wanted = buffer.length - length;
      const bytesRead = readSync(fd, buffer, length, wanted, fromStart ? length : null);
      if (bytesRead === 0) break;
      length += bytesRead;
      // A regular file that reports its size reads short only at its end: no second call to hear
      // that (a /proc file reports 0 and is read until a read returns nothing).
      if (info.size > 0 && bytesRead < wanted) break;
    }
    if (length > maxBytes) return tooLarge(`more than ${formatBytes(maxBytes)}`);
    const decoded = decode(buffer.subarray(0, length), display);
    if (decoded.ok) decoded.file.reread = reread;
    return decoded;
  } finally {
    closeSync(fd);
  }
}

/** The same checks as readSourceFile, synchronously (positions are looked up from synchronous code). */
function rereadSync(absolute: string, display: string, maxBytes: number): SourceFile | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const decoded = decode(readFileSync(fd), display);
    return decoded.ok ? decoded.file : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function decode(bytes: Buffer, display: string): { ok: true; file: SourceFile } | { ok: false; diagnostic: Diagnostic } {
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
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const before = bytes.subarray(0, nul).toString('utf8');
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    return { ok: false, diagnostic: { rule: 'files.binary', file: display, line, col, message: 'file contains a NUL byte: not a text file' } };
  }
  return { ok: true, file: textFile(display, bytes.toString('utf8')) };
}

/** A file's text, its byte-order mark removed. */
function textFile(display: string, text: string): SourceFile {
  return { display, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

export function displayPath(absolute: string, cwd: string): string {
  // Inside the working directory (the usual case, once per file): the rest of the path, which is
  // what path.relative works out with two resolves and a normalisation. POSIX only: Windows paths
  // compare without case.
  if (sep === '/' && cwd.length > 1 && absolute.length > cwd.length + 1 && absolute.startsWith(cwd) && absolute[cwd.length] === '/' && !absolute.includes('/.', cwd.length) && !absolute.includes('//', cwd.length)) {
    return absolute.slice(cwd.length + 1);
  }
  const rel = relative(cwd, absolute);
  return rel === '' ? '.' : rel.startsWith('..') ? absolute : rel;
}

/** "256MB", "64 MiB", "1g", "1048576" → bytes. */
export function parseByteSize(text: string): number | undefined {
  // `bytes` reads "256MB" and "1gb" as binary units, as rosetta always has; "MiB", "M" and "k" are
  // spelled out for it first, so every size written for earlier versions means the same.
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0] as 'b' | 'k' | 'm' | 'g';
  const parsed = bytes.parse(`${match[1]}${{ b: 'b', k: 'kb', m: 'mb', g: 'gb' }[unit]}`);
  return parsed === null ? undefined : Math.floor(parsed);
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function realpathIfAny(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function fileProblem(file: string, rule: string, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { rule, file, line: 0, col: 0, message } : { rule, file, line: 0, col: 0, message, hint };
}
