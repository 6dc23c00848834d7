/**
 * The file store's journal: one JSON line per commit, holding only the records that changed, with
 * the lineage and serial after the commit. A create costs one appended line and one fdatasync,
 * however many records the state holds; `state.json` (the snapshot) is rewritten only when the
 * journal is compacted into it.
 *
 * Crash safety: a commit is acknowledged only after its line is on disk. A crash in the middle of
 * an append leaves a last line without its newline (a torn tail): readers ignore it (its commit
 * was never acknowledged, so nothing was sent on its strength) and the next writer cuts it off
 * before appending. A complete line that does not parse is corruption, never skipped silently.
 */
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RosettaError } from '../errors.js';
import { printable } from '../text.js';
import { fsyncDirectory, realFs, type DurableFs } from './durable-write.js';
import type { StateDelta } from './store.js';
import type { ResourceRecord, State } from '../model/records.js';

export interface JournalEntry {
  lineage: string;
  serial: number;
  put?: Record<string, ResourceRecord>;
  remove?: string[];
  /** The whole list, when it changed. */
  appliedPlans?: string[];
}

/** The line for a commit: the delta's records as the state now holds them. */
export function journalLine(state: State, delta: StateDelta, appliedPlansChanged: boolean): string {
  const put: Record<string, ResourceRecord> = {};
  for (const [address, record] of delta.put) put[address] = record;
  const entry: JournalEntry = {
    lineage: state.lineage!,
    serial: state.serial,
    ...(delta.put.size > 0 ? { put } : {}),
    ...(delta.remove.size > 0 ? { remove: [...delta.remove] } : {}),
    ...(appliedPlansChanged ? { appliedPlans: state.appliedPlans } : {}),
  };
  return `${JSON.stringify(entry)}\n`;
}

/**
 * Applies the journal's complete lines to the snapshot (in place) and returns how many bytes (UTF-8,
 * as the writer counts and truncates: not string indexes) of the journal are complete lines. Lines
 * at or below the snapshot's serial were compacted into it already.
 */
export function replayJournal(state: State, text: string, location: string): { validBytes: number; replayed: number } {
  let start = 0;
  let replayed = 0;
  let lineNumber = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    // A torn tail (or nothing) after the last newline.
    if (end < 0) return { validBytes: Buffer.byteLength(text.slice(0, start), 'utf8'), replayed };
    lineNumber++;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch (error) {
      throw corrupt(location, lineNumber, `not valid JSON (${(error as Error).message})`);
    }
    if (typeof entry !== 'object' || entry === null || typeof entry.serial !== 'number' || typeof entry.lineage !== 'string') {
      throw corrupt(location, lineNumber, 'not a journal entry');
    }
    if (entry.serial <= state.serial) continue;
    if (state.lineage !== null && entry.lineage !== state.lineage) {
      throw corrupt(location, lineNumber, `it belongs to another state (lineage ${printable(entry.lineage)}; the state's is ${state.lineage})`);
    }
    for (const address of entry.remove ?? []) delete state.resources[address];
    for (const [address, record] of Object.entries(entry.put ?? {})) state.resources[address] = record;
    if (entry.appliedPlans) state.appliedPlans = entry.appliedPlans;
    state.lineage = entry.lineage;
    state.serial = entry.serial;
    replayed++;
  }
}

function corrupt(location: string, line: number, what: string): RosettaError {
  return new RosettaError('ROS_STATE_CORRUPT', `${location}, line ${line}: ${what}`, {
    hint: 'the journal holds the creates recorded since state.json was last compacted: do not delete it; restore both files from where you keep them, or repair that line by hand',
  });
}

/** Appends lines durably. Opened once per run; cuts a torn tail off first. */
export class JournalWriter {
  private constructor(
    private readonly handle: FileHandle,
    private bytes: number,
  ) {}

  /** Opens (creating) the journal, keeping only its first `validBytes` bytes. */
  static async open(path: string, validBytes: number, fs: DurableFs = realFs): Promise<JournalWriter> {
    const handle = await fs.open(path, 'a+', 0o644);
    try {
      const { size } = await handle.stat();
      if (size > validBytes) await handle.truncate(validBytes);
      // A new journal's directory entry must survive a crash too.
      if (size === 0) await fsyncDirectory(dirname(path), fs);
      return new JournalWriter(handle, Math.min(size, validBytes));
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  get size(): number {
    return this.bytes;
  }

  /** Writes every byte of `line` (continuing short writes), then fdatasync. */
  async append(line: string): Promise<void> {
    const data = Buffer.from(line, 'utf8');
    let offset = 0;
    while (offset < data.length) {
      // Opened for appending, so every write lands at the end; a short write is continued there.
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset, this.bytes + offset);
      if (bytesWritten <= 0) throw Object.assign(new Error(`short write to the journal: ${offset} of ${data.length} bytes`), { code: 'ENOSPC' });
      offset += bytesWritten;
    }
    await this.handle.datasync();
    this.bytes += data.length;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
