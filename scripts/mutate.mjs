// npm run mutate [ID...]: the mutation sweep. Each mutation of scripts/mutations.json is applied,
// one at a time, to a scratch copy of the repository (src/, test/ and the rest; node_modules
// linked), which is then built and made to run the test files the mutation names. A mutation whose
// tests fail is killed; one whose tests pass survived (a gap in the tests); one that does not build,
// or whose text is not found, is reported as such and counted as neither.
//
// Runs outside `npm test` (a sweep takes ten minutes or more). PostgreSQL suites are required.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const all = JSON.parse(readFileSync(join(root, 'scripts/mutations.json'), 'utf8'));
const only = new Set(process.argv.slice(2));
const mutations = only.size > 0 ? all.filter((m) => only.has(m.id)) : all;

const scratch = mkdtempSync(join(tmpdir(), 'rosetta-mutate-'));
for (const entry of ['src', 'test', 'scripts', 'schemas', 'bin', 'examples', 'package.json', 'tsconfig.json', 'tsconfig.check.json', 'vitest.config.ts', 'action.yml', 'Dockerfile', 'README.md', 'docs']) {
  cpSync(join(root, entry), join(scratch, entry), { recursive: true });
}
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
cpSync(join(root, 'package-lock.json'), join(scratch, 'package-lock.json'));
// vitest's own copy of the repository's files is found relative to the scratch folder.
const env = { ...process.env, ROSETTA_REQUIRE_POSTGRES: '1', CI: 'true' };

/** Runs test files in the scratch copy: true when they pass. */
const passes = (tests) => spawnSync(process.execPath, [join(scratch, 'node_modules/vitest/vitest.mjs'), 'run', ...tests], { cwd: scratch, env, encoding: 'utf8', timeout: 15 * 60_000 }).status === 0;

// The control: every set of test files passes on the code as it is, or a failure would be counted
// as a kill.
execFileSync(process.execPath, [join(scratch, 'scripts/build.mjs')], { cwd: scratch, env, stdio: 'ignore' });
const brokenSets = new Set();
for (const key of new Set(mutations.map((m) => m.tests.join(' ')))) {
  const ok = passes(key.split(' '));
  console.log(`${ok ? 'control passes' : 'CONTROL FAILS '}         ${key}`);
  if (!ok) brokenSets.add(key);
}

const rows = [];
for (const m of mutations) {
  const file = join(scratch, m.file);
  // From the scratch copy: the repository may be edited while a sweep runs.
  const original = readFileSync(file, 'utf8');
  const count = original.split(m.find).length - 1;
  let verdict;
  if (count !== 1) {
    verdict = `not applied (the text is found ${count} times)`;
  } else if (brokenSets.has(m.tests.join(' '))) {
    verdict = 'not counted (its tests fail unmutated)';
  } else {
    writeFileSync(file, original.replace(m.find, m.replace));
    const build = spawnSync(process.execPath, [join(scratch, 'scripts/build.mjs')], { cwd: scratch, env, encoding: 'utf8' });
    if (build.status !== 0) {
      verdict = 'does not build';
    } else {
      const started = Date.now();
      verdict = passes(m.tests) ? 'SURVIVED' : 'killed';
      verdict += ` (${Math.round((Date.now() - started) / 1000)} s)`;
    }
    writeFileSync(file, original);
  }
  rows.push({ id: m.id, file: m.file, verdict });
  console.log(`${verdict.padEnd(22)} ${m.id}  (${m.file})`);
}
// Put the build back as the repository is.
execFileSync(process.execPath, [join(scratch, 'scripts/build.mjs')], { cwd: scratch, env, stdio: 'ignore' });
rmSync(scratch, { recursive: true, force: true });

const counted = rows.filter((r) => r.verdict.startsWith('killed') || r.verdict.startsWith('SURVIVED'));
const killed = counted.filter((r) => r.verdict.startsWith('killed')).length;
console.log(`\n${killed} of ${counted.length} mutations killed (${counted.length === 0 ? 0 : Math.round((100 * killed) / counted.length)}%); ${rows.length - counted.length} not counted.`);
process.exitCode = killed === counted.length ? 0 : 1;
