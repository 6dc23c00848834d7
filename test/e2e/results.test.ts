// rosetta results pull: a JSONL file per annotation request, grown without duplicates as scenes
// finish, byte-identical when nothing is new, and whole after a kill -9 in the middle of a pull.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, readState, rosetta, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const request = (name: string, scenes: number, extra = '') =>
  `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: ${name}\nspec:\n  annotationRequestName: ${name}\n  campaignId: c\n  sceneIdMap:\n${Array.from({ length: scenes }, (_, i) => `    ${name}-${String(i).padStart(3, '0')}: gs://bucket/${name}/${i}.json\n`).join('')}${extra}`;

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { sceneId: string; uri: string });

describe('rosetta results pull', () => {
  it('grows each file with only the new scenes, and leaves it byte-identical when nothing is new', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 3_000 });
    const dir = tempDir({ 'm.yaml': `${request('night', 6, '    broken: not-a-uri\n')}---\n${request('rain', 2)}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const night = join(dir, 'results/night.jsonl');
    const id = readState(dir).resources['AnnotationRequest/night']!.annotationRequestId as string;

    const sizes: number[] = [];
    let last = '';
    for (let pulls = 0; ; pulls++) {
      const pull = await rosetta(sim, dir, ['results', 'pull', '--out', 'results']);
      expect(pull.code).toBe(0);
      expect(pull.stdout).toMatch(/^AnnotationRequest\/night: \d+ new, \d+ in all → results\/night\.jsonl$/m);
      const now = lines(night);
      // Never a scene twice, never a scene lost, each with the platform's result URI.
      expect(new Set(now.map((l) => l.sceneId)).size).toBe(now.length);
      expect(now.slice(0, sizes.at(-1) ?? 0).map((l) => l.sceneId)).toEqual(last === '' ? [] : last.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { sceneId: string }).sceneId));
      for (const l of now) expect(l.uri).toBe(`gs://rosetta-results/${id}/${l.sceneId}.json`);
      last = readFileSync(night, 'utf8');
      sizes.push(now.length);
      if (now.length === 6 || pulls > 40) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(sizes.at(-1)).toBe(6); // the unreadable scene never finishes
    expect(sizes.some((n) => n > 0 && n < 6)).toBe(true); // it grew in steps
    expect(lines(join(dir, 'results/rain.jsonl')).map((l) => l.sceneId)).toEqual(['rain-000', 'rain-001']);

    const before = statSync(night);
    const again = await rosetta(sim, dir, ['results', 'pull', '--out', 'results']);
    expect(again.stdout).toContain('AnnotationRequest/night: 0 new, 6 in all → results/night.jsonl');
    expect(again.stdout).toContain('Pulled 0 new results for 2 annotation requests into results.');
    expect(readFileSync(night, 'utf8')).toBe(last);
    expect(statSync(night).mtimeMs).toBe(before.mtimeMs); // not even rewritten
    expect(readdirSync(join(dir, 'results')).sort()).toEqual(['night.jsonl', 'rain.jsonl']); // no temporary files left
  });

  it('narrows with --target, says what failed and exits 1, and refuses a file someone edited', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const dir = tempDir({ 'm.yaml': `${request('night', 2)}---\n${request('rain', 2)}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const only = await rosetta(sim, dir, ['results', 'pull', '--out', 'out', '--target', 'AnnotationRequest/rain', '--format', 'json']);
    expect(JSON.parse(only.stdout)).toEqual({ formatVersion: 1, results: [{ address: 'AnnotationRequest/rain', file: 'rain.jsonl', added: 2, total: 2 }] });

    writeFileSync(join(dir, 'out/rain.jsonl'), '{"sceneId":"rain-000","uri":"x"}\nnot json\n');
    sim.faults.inject('get', { type: 'business', code: 5000 }, 10);
    const broken = await rosetta(sim, dir, ['results', 'pull', '--out', 'out']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('AnnotationRequest/rain: rain.jsonl:2: not a result line {"sceneId": …, "uri": …}; move the file away to pull its results afresh');
    expect(broken.stdout).toMatch(/AnnotationRequest\/night: could not read its results: .*\(code 5000\)/);
    expect(readFileSync(join(dir, 'out/rain.jsonl'), 'utf8')).toBe('{"sceneId":"rain-000","uri":"x"}\nnot json\n');
  });

  it('after a kill -9 mid-pull every file is whole, and the next pull completes it without duplicates', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const names = Array.from({ length: 6 }, (_, i) => `r${i}`);
    const dir = tempDir({ 'm.yaml': names.map((n) => request(n, 3000)).join('---\n') });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    // Slow reads, so the kill lands while some files are written and others are not.
    sim.faults.config = { latencyMs: 150 };
    const child = spawn(process.execPath, [BIN, 'results', 'pull', '--out', 'out', '--concurrency', '1'], { cwd: dir, env: spawnEnv(sim) });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (output.includes('r1: 3000 new')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    child.kill('SIGKILL');
    await exited;
    sim.faults.config = {};
    const written = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.jsonl'));
    expect(written.length).toBeLessThan(names.length); // killed mid-pull
    for (const file of written) expect(lines(join(dir, 'out', file))).toHaveLength(3000);
    const after = await rosetta(sim, dir, ['results', 'pull', '--out', 'out']);
    expect(after.code).toBe(0);
    for (const n of names) {
      const got = lines(join(dir, `out/${n}.jsonl`)).map((l) => l.sceneId);
      expect(got).toHaveLength(3000);
      expect(new Set(got).size).toBe(3000);
    }
    expect(readdirSync(join(dir, 'out')).filter((f) => !f.endsWith('.jsonl'))).toEqual([]); // leftovers of the killed pull removed
  });
});
