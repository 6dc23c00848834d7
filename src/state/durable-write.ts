/**
 * All-or-nothing file replacement: write a temporary file in full (every
 * short write continued, the length checked), fsync it, rename it over the
 * target, fsync the directory. Any failure removes the temporary file and
 * leaves the target as it was.
 *
 * Not write-file-atomic: it issues one `fs.write` and never checks how many
 * bytes were written, so a nearly full disk produced a truncated state file
 * that was then renamed over a good one.
 */
import { nodeCrypto } from '../model/node-crypto.js';
import * as fsPromises from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The parts of node:fs/promises used here; injectable so tests can simulate a full disk. */
export interface DurableFs {
  open: typeof fsPromises.open;
  rename: typeof fsPromises.rename;
  unlink: typeof fsPromises.unlink;
}

/** node:fs/promises itself, each function looked up when called (the bundle loads that module on first use). */
export const realFs: DurableFs = {
  open: (...args) => fsPromises.open(...args),
  rename: (...args) => fsPromises.rename(...args),
  unlink: (...args) => fsPromises.unlink(...args),
};

export async function writeFileDurably(path: string, data: string | Buffer, fs: DurableFs = realFs): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${nodeCrypto().randomUUID().slice(0, 8)}.tmp`);
  const handle = await fs.open(temporary, 'wx', 0o644);
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
        if (bytesWritten <= 0) throw Object.assign(new Error(`short write to ${temporary}: ${offset} of ${bytes.length} bytes`), { code: 'ENOSPC' });
        offset += bytesWritten;
      }
      const written = (await handle.stat()).size;
      if (written !== bytes.length) throw new Error(`wrote ${written} of ${bytes.length} bytes to ${temporary}`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path), fs);
}

/** Makes a rename durable. Not possible on every platform (Windows): best effort. */
export async function fsyncDirectory(dir: string, fs: DurableFs = realFs): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}
