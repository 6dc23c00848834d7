/**
 * The file store's bodies: what was sent, kept by digest beside the state for field diffs, one
 * pack per apply (JSON lines plus an index renamed into place last). Not inside the state: the
 * state is written after every create, and a million-scene body would make each write 70 MB.
 */
import { nodeCrypto } from '../model/node-crypto.js';
import { mkdir, open, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bodyBytes } from '../model/body-text.js';

const NEWLINE = Buffer.from('\n');

/** A kept body: a byte range of a pack, or (rosetta before packs) a file of its own. */
type BodyLocation = { pack: string; at: number; length: number } | 'file';

export class BodyPacks {
  private index: Promise<Map<string, BodyLocation>> | undefined;
  private dirReady = false;

  constructor(private readonly bodiesDir: string) {}

  /**
   * One pack per call: the bodies as JSON lines, and an index (digest → offset and length) renamed
   * into place last, so a pack without its index is never read. Not fsynced: a body lost to a crash
   * only makes a later conflict show digests instead of fields. One file for a whole apply instead
   * of a stat, a write and a rename per create.
   *
   * Writing reads no earlier pack's index (they are read only when a body is asked for: a
   * refresh or a field diff), so its cost does not grow with the history of applies: loading
   * 110,000 earlier entries to skip the rare body already kept cost an apply into a big state
   * 0.6 s. A body kept twice is harmless (the same digest, the same text).
   */
  async putBodies(bodies: ReadonlyMap<string, unknown>): Promise<void> {
    const index = this.index === undefined ? undefined : await this.index;
    const lines: Buffer[] = [];
    const entries: Record<string, [number, number]> = {};
    let offset = 0;
    for (const [digest, body] of bodies) {
      if (index?.has(digest) || Object.hasOwn(entries, digest)) continue;
      const line = bodyBytes(body);
      entries[digest] = [offset, line.length];
      lines.push(line, NEWLINE);
      offset += line.length + 1;
    }
    if (lines.length === 0) return;
    if (!this.dirReady) {
      await mkdir(this.bodiesDir, { recursive: true });
      this.dirReady = true;
    }
    const name = `pack-${Date.now()}-${nodeCrypto().randomUUID().slice(0, 8)}`;
    const pack = join(this.bodiesDir, `${name}.jsonl`);
    // Written as the pieces they are (writev): joined first, 10 MB of bodies were copied once more.
    const handle = await open(`${pack}.tmp`, 'w');
    try {
      await handle.writev(lines);
    } finally {
      await handle.close();
    }
    await rename(`${pack}.tmp`, pack);
    const indexPath = join(this.bodiesDir, `${name}.index.json`);
    await writeFile(`${indexPath}.tmp`, JSON.stringify(entries));
    await rename(`${indexPath}.tmp`, indexPath);
    if (index) for (const [digest, [at, length]] of Object.entries(entries)) index.set(digest, { pack, at, length });
  }

  async getBody(digest: string): Promise<unknown> {
    try {
      const where = (await this.bodyIndex()).get(digest);
      if (where === undefined) return undefined;
      if (where === 'file') return JSON.parse(await readFile(this.bodyPath(digest), 'utf8')) as unknown;
      const handle = await open(where.pack, 'r');
      try {
        const buffer = Buffer.alloc(where.length);
        await handle.read(buffer, 0, where.length, where.at);
        return JSON.parse(buffer.toString('utf8')) as unknown;
      } finally {
        await handle.close();
      }
    } catch {
      return undefined; // bodies only improve diffs; a missing or damaged one is not an error
    }
  }

  /** Where each kept body is: a pack's range, or a file of its own (rosetta before packs). Read once per store. */
  private bodyIndex(): Promise<Map<string, BodyLocation>> {
    this.index ??= (async () => {
      const index = new Map<string, BodyLocation>();
      // Oldest pack first (names start with the time they were written), and the first kept body
      // of a digest wins: a later pack may hold it again (putBodies does not read the earlier ones).
      const names = (await readdir(this.bodiesDir).catch(() => [] as string[])).sort();
      const keep = (digest: string, where: BodyLocation) => {
        if (!index.has(digest)) index.set(digest, where);
      };
      for (const name of names) {
        if (name.endsWith('.index.json')) {
          const pack = join(this.bodiesDir, `${name.slice(0, -'.index.json'.length)}.jsonl`);
          const entries = await readFile(join(this.bodiesDir, name), 'utf8').then((text) => JSON.parse(text) as Record<string, [number, number]>).catch(() => ({}));
          for (const [digest, [at, length]] of Object.entries(entries)) keep(digest, { pack, at, length });
        } else if (/^[0-9a-f]{64}\.json$/.test(name)) {
          keep(`sha256:${name.slice(0, 64)}`, 'file');
        }
      }
      return index;
    })();
    return this.index;
  }

  private bodyPath(digest: string): string {
    return join(this.bodiesDir, `${digest.replace(/^sha256:/, '')}.json`);
  }

}
