/**
 * The file store's record of what was notified (reconcile --notify): a JSON line per event key,
 * appended and fsynced beside the state file (`<state>.notified`), so an event is sent at most
 * once across restarts. A key is recorded before its event is sent: a crash between the two loses
 * that one notification rather than sending it twice.
 */
import { appendFile, open, readFile } from 'node:fs/promises';
import { stateIoError } from './io-errors.js';

export class NotificationFile {
  constructor(readonly path: string) {}

  /** Records the keys not recorded yet, durably, and returns those. */
  async claim(keys: readonly string[]): Promise<string[]> {
    const known = await this.load();
    const fresh = [...new Set(keys)].filter((key) => !known.has(key));
    if (fresh.length === 0) return [];
    const at = new Date().toISOString();
    try {
      await appendFile(this.path, fresh.map((key) => `${JSON.stringify({ key, at })}\n`).join(''), { mode: 0o644 });
      const handle = await open(this.path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw stateIoError(error, this.path, 'write');
    }
    return fresh;
  }

  /** Read afresh each time: another process (the next leader) may have appended since. */
  private async load(): Promise<Set<string>> {
    const known = new Set<string>();
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw stateIoError(error, this.path, 'read');
    }
    for (const line of text.split('\n')) {
      // A line cut short by a crash is skipped: its event was not sent (the key is written first).
      try {
        const { key } = JSON.parse(line) as { key?: unknown };
        if (typeof key === 'string') known.add(key);
      } catch {
        // not a whole line
      }
    }
    return known;
  }
}
