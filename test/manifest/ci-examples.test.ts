// The shipped GitHub Action and CI examples are valid YAML, and keep the API keys out of plan jobs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

const read = (path: string) => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

describe('CI examples and the GitHub Action', () => {
  it('action.yml is a composite action with the documented inputs and outputs', () => {
    const action = read('action.yml');
    expect(action.runs!.using).toBe('composite');
    expect(Object.keys(action.inputs!)).toEqual(['command', 'paths', 'version', 'comment', 'github-token', 'args']);
    expect(Object.keys(action.outputs!)).toEqual(['exitcode', 'create', 'update', 'conflict', 'pending', 'held', 'orphan', 'drift']);
  });

  it('the PostgreSQL workflows give the plan job no API secret and commit nothing back', () => {
    const github = read('examples/ci/.github/workflows/rosetta.yml');
    expect(JSON.stringify(github.jobs!.plan)).not.toMatch(/ROSETTA_(ACCESS|SECRET)_KEY/);
    expect(JSON.stringify(github.env)).not.toMatch(/ROSETTA_(ACCESS|SECRET)_KEY/);
    expect(JSON.stringify(github)).not.toContain('git push');
    const gitlab = read('examples/ci/.gitlab-ci.yml');
    expect(JSON.stringify(gitlab)).not.toContain('git push');
  });

  it('plan jobs read the state through the read-only role; only apply gets the writer; the version is pinned', () => {
    const github = read('examples/ci/.github/workflows/rosetta.yml');
    expect((github.jobs!.plan!.env as Record<string, string>).ROSETTA_STATE).toBe('${{ secrets.ROSETTA_STATE_READONLY }}');
    expect((github.jobs!.apply!.env as Record<string, string>).ROSETTA_STATE).toBe('${{ secrets.ROSETTA_STATE }}');
    expect(JSON.stringify(github.env)).not.toContain('ROSETTA_STATE');
    const gitlab = read('examples/ci/.gitlab-ci.yml');
    expect((gitlab.plan!.variables as Record<string, string>).ROSETTA_STATE).toBe('$ROSETTA_STATE_READONLY');
    for (const text of [JSON.stringify(github), JSON.stringify(gitlab)]) {
      expect(text).toMatch(/ROSETTA_VERSION":"\d+\.\d+\.\d+"/);
      expect(text).not.toMatch(/@rosetta-iac\/rosetta(?!@)/);
    }
  });

  it('the file-state example refuses to apply from anything but the tip of main', () => {
    const workflow = JSON.stringify(read('examples/ci/file-state-in-git/.github/workflows/rosetta.yml'));
    expect(workflow).toContain('git rev-parse origin/main');
    expect(workflow).toContain('git rebase origin/main');
  });
});

describe('the deployment examples', () => {
  it('run two replicas with probes on /healthz and /readyz and the state in PostgreSQL', () => {
    const docs = parseAllDocuments(readFileSync(join(REPO_ROOT, 'examples/deploy/.kubernetes.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; spec: Record<string, any> });
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'ServiceMonitor', 'PrometheusRule']);
    const deployment = docs[0]!;
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.args[0]).toBe('reconcile');
    const rules = JSON.stringify(docs[3]!.spec);
    expect(rules).toContain('RosettaNeedsAPerson');
    expect(rules).toContain('rosetta_attention_resources{reason=~\\"pending|held\\"}');
    const unit = readFileSync(join(REPO_ROOT, 'examples/deploy/rosetta-reconcile.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/bin/env rosetta reconcile');
    expect(unit).toMatch(/ROSETTA_STATE=postgres:\/\//);
  });
});
