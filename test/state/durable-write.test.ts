// The state write is all or nothing: a short write is continued, a full disk leaves the old file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileDurably, type DurableFs } from '../../src/state/durable-write.js';
import { FileStateStore } from '../../src/state/file-store.js';
import { emptyState } from '../../src/model/records.js';
import { tempDir } from '../helpers/files.js';

/**
 * Real files, with the file handle's write limited to `chunk` bytes per call (as a nearly full disk
 * does) and failing with ENOSPC once `capacity` bytes were written. Records every step.
 */
function limitedFs(options: { chunk: number; capacity?: number }): DurableFs & { log: string[] } {
  const log: string[] = [];
  let used = 0;
  return {
    log,
    open: (async (path: string, flags: string, mode?: number) => {
      const handle = await fs.open(path, flags, mode);
      log.push(`open ${path} ${flags}`);
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'write') {
            return async (buffer: Buffer, offset: number, length: number, position: number) => {
              const room = (options.capacity ?? Infinity) - used;
              if (room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
              const n = Math.min(length, options.chunk, room);
              used += n;
              log.push(`write ${n}`);
              return target.write(buffer, offset, n, position);
            };
          }
          if (prop === 'sync') return async () => (log.push(`sync ${path}`), target.sync());
          const value = Reflect.get(target, prop) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    }) as DurableFs['open'],
    rename: async (from, to) => (log.push(`rename ${String(from)} -> ${String(to)}`), fs.rename(from, to)),
    unlink: async (path) => (log.push(`unlink ${String(path)}`), fs.unlink(path)),
  };
}

describe('writeFileDurably', () => {
  it('continues short writes until every byte is written', async () => {
    const dir = tempDir();
    const text = 'x'.repeat(10_000);
    const limited = limitedFs({ chunk: 4096 });
    await writeFileDurably(join(dir, 'state.json'), text, limited);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(text);
    expect(limited.log.filter((l) => l.startsWith('write '))).toEqual(['write 4096', 'write 4096', 'write 1808']);
  });

  it('writes a temporary file, fsyncs it, then renames it over the target', async () => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    const limited = limitedFs({ chunk: 1 << 20 });
    await writeFileDurably(target, '{"a":1}\n', limited);
    const [open, write, sync, rename, syncDir] = limited.log;
    expect(open).toMatch(new RegExp(`^open ${dir}/\\.state\\.json\\.\\d+\\.[0-9a-f]{8}\\.tmp wx$`));
    expect(write).toBe('write 8');
    expect(sync).toBe(`sync ${open!.split(' ')[1]}`);
    expect(rename).toBe(`rename ${open!.split(' ')[1]} -> ${target}`);
    expect(syncDir).toBe(`open ${dir} r`);
    // The target itself is never opened for writing.
    expect(limited.log.some((l) => l.startsWith(`open ${target} `))).toBe(false);
  });

  it('leaves the previous file untouched and no temporary file when the disk fills', async () => {
    const dir = tempDir({ 'state.json': '{"previous":true}\n' });
    const limited = limitedFs({ chunk: 4096, capacity: 4096 });
    await expect(writeFileDurably(join(dir, 'state.json'), 'y'.repeat(9000), limited)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"previous":true}\n');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

describe('file state store on a full disk', () => {
  it('keeps the last complete state and says what is wrong', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    await new FileStateStore(path).write({ ...emptyState(), lineage: 'l-1', serial: 1 });
    const store = new FileStateStore(path, limitedFs({ chunk: 4096, capacity: 5000 }));
    const big = { ...emptyState(), lineage: 'l-1', serial: 2, appliedPlans: Array.from({ length: 400 }, (_, i) => `plan-${i}-${'z'.repeat(20)}`) };
    const error = await store.write(big).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROS_STATE_IO', message: `cannot write ${path}: the disk is full (ENOSPC)` });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ lineage: 'l-1', serial: 1 });
    expect(existsSync(`${path}.backup`)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.backup']);
  });
});
