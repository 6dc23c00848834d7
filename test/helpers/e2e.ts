import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../src/sim/server.js';
import { runRosetta, type CliResult } from './cli.js';

export const SECRET = 'e2e-secret-DO-NOT-PRINT-7f3a';
export const ACCESS = 'e2e-access';
export const E2E_CREDENTIALS = { accessKey: ACCESS, secretKey: SECRET };

/** The environment a CLI run against `sim` needs. */
export function simulatorEnv(sim: Pick<Simulator, 'url'>): Record<string, string> {
  return { ROSETTA_ENDPOINT: sim.url, ROSETTA_ACCESS_KEY: ACCESS, ROSETTA_SECRET_KEY: SECRET };
}

/** The full environment for a CLI process spawned directly (not through runRosetta). */
export function spawnEnv(sim: Pick<Simulator, 'url'>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CI: 'true', ...simulatorEnv(sim), ...extra };
}

/** Runs the real CLI in `dir` against `sim`, with the state in dir/.rosetta. */
export function rosetta(sim: Pick<Simulator, 'url'>, dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runRosetta(args, { cwd: dir, env: { ...simulatorEnv(sim), ...env } });
}

export function readState(dir: string): { serial: number; lineage: string; resources: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, '.rosetta/state.json'), 'utf8')) as never;
}

export const annotationRequest = (name: string, extra = '') => `apiVersion: rosetta/v1
kind: AnnotationRequest
metadata:
  name: ${name}
spec:
  annotationRequestName: Request ${name}
  campaignId: campaign-1
  sceneIdMap:
    ${name}-scene-1: gs://bucket/${name}/1.yaml
    ${name}-scene-2: gs://bucket/${name}/2.yaml
${extra}`;

export const samplingPlan = (name: string, ref: string, extra = '') => `apiVersion: rosetta/v1
kind: SamplingPlan
metadata:
  name: ${name}
spec:
  annotationRequestRef: ${ref}
  poolName: pool-${name}
  samplingQuantity: 1
${extra}`;
