// Docs that run: every ```console block in README.md and docs/ marked `<!-- runnable: DIR -->` is
// executed against the simulator, in a temporary copy of DIR (or, marked `…, after the block
// above`, where the previous block left off). Each output line a doc shows must appear in the
// output, in order; `…` in a shown line stands for what differs from run to run. A doc that lies fails.
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, SIMULATOR_CREDENTIALS, type Simulator } from '../../src/sim/server.js';
import { REPO_ROOT, runRosetta } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

interface Command {
  args: string[];
  shown: string[];
}

interface Block {
  doc: string;
  line: number;
  dir: string;
  continues: boolean;
  commands: Command[];
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

function runnableBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const doc of markdownFiles()) {
    const lines = readFileSync(join(REPO_ROOT, doc), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const marker = /^<!-- runnable: ([^,\s]+)(, after the block above)? -->$/.exec(text);
      if (!marker || lines[i + 1] !== '```console') return;
      const commands: Command[] = [];
      for (let j = i + 2; j < lines.length && lines[j] !== '```'; j++) {
        const line = lines[j]!;
        if (line.startsWith('$ ')) commands.push({ args: line.slice(2).trim().split(/\s+/), shown: [] });
        else if (line.trim() !== '') commands.at(-1)?.shown.push(line.trimEnd());
      }
      blocks.push({ doc, line: i + 1, dir: marker[1]!, continues: marker[2] !== undefined, commands });
    });
  }
  return blocks;
}

/** Whether each shown line appears in the output lines, in order; `…` matches anything. */
function missing(shown: readonly string[], output: string): string | undefined {
  const actual = output.split('\n').map((l) => l.trimEnd());
  let at = 0;
  for (const line of shown) {
    const pattern = new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    while (at < actual.length && !pattern.test(actual[at]!)) at++;
    if (at >= actual.length) return line;
    at++;
  }
  return undefined;
}

const blocks = runnableBlocks();
/** A block with the ones that continue where it left off: one test, one folder. */
const groups: Block[][] = [];
for (const block of blocks) {
  if (block.continues && groups.length > 0) groups.at(-1)!.push(block);
  else groups.push([block]);
}

describe('docs that run', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, processingMs: 0 });
  });
  afterAll(() => sim.close());

  it('finds the runnable blocks (the README tour at least)', () => {
    expect(blocks.filter((b) => b.doc === 'README.md').length).toBeGreaterThanOrEqual(2);
  });

  it.each(groups.map((g) => [g.map((b) => `${b.doc}:${b.line}`).join(' then '), g] as const))('%s', { timeout: 60_000 }, async (_, group) => {
    const dir = tempDir();
    cpSync(join(REPO_ROOT, group[0]!.dir), dir, { recursive: true });
    const env = { ROSETTA_ENDPOINT: sim.url, ROSETTA_ACCESS_KEY: SIMULATOR_CREDENTIALS.accessKey, ROSETTA_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey };
    for (const block of group) {
      for (const command of block.commands) {
        expect(command.args[0], `${block.doc}:${block.line}: a runnable command starts with rosetta`).toBe('rosetta');
        const result = await runRosetta(command.args.slice(1), { cwd: dir, env });
        const where = `${block.doc}:${block.line}: $ ${command.args.join(' ')}\n${result.stdout}${result.stderr}`;
        expect(result.code, where).toBe(0);
        expect(missing(command.shown, result.stdout), where).toBeUndefined();
      }
    }
  });
});
