// The container image (Dockerfile): its runtime stage, done here as the Dockerfile does it (no
// docker daemon or base image is reachable in CI): production dependencies only, the compiled
// code and schemas. And the Kubernetes example uses it.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

describe('the image', () => {
  it('is built in two stages and runs as the unprivileged node user with production dependencies only', () => {
    const stages = DOCKERFILE.split('\n').filter((line) => line.startsWith('FROM '));
    expect(stages).toHaveLength(2);
    const runtime = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toContain('COPY --from=build /src/dist ./dist');
    expect(runtime).not.toMatch(/npm (install|i) /);
  });

  it('its runtime stage has everything rosetta needs: validate, plan and --version run from it', { timeout: 180_000 }, () => {
    const app = tempDir();
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(REPO_ROOT, file), join(app, file));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
    for (const dir of ['dist', 'bin', 'schemas']) cpSync(join(REPO_ROOT, dir), join(app, dir), { recursive: true });
    const run = (args: string[]) => execFileSync(process.execPath, [join(app, 'bin/rosetta.js'), ...args], { cwd: tempDir(), encoding: 'utf8', env: { PATH: process.env.PATH, NODE_ENV: 'production' } });
    expect(run(['--version']).trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    expect(run(['validate', join(REPO_ROOT, 'examples')])).toContain('valid');
    expect(run(['plan', join(REPO_ROOT, 'examples/helix-3d'), '--state', join(tempDir(), 'state.json')])).toContain('to create');
  });

  it('is what the Kubernetes example runs: nothing installed at start-up, a startup probe, non-root', () => {
    const docs = parseAllDocuments(readFileSync(join(REPO_ROOT, 'examples/deploy/.kubernetes.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; spec: Record<string, any> });
    const pod = docs.find((d) => d.kind === 'Deployment')!.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toMatch(/rosetta:\d+\.\d+\.\d+$/);
    expect(container.command).toBeUndefined();
    expect(JSON.stringify(container)).not.toMatch(/apt-get|npm install/);
    expect(container.args.slice(0, 1)).toEqual(['reconcile']);
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });
});
