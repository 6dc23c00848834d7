// The simulator behaves like the documented API: business codes from its own
// model of the platform, reached over HTTP through the client.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/sim/fixtures.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { client, simulator } from '../helpers/sim.js';

const FIXTURES: Fixtures = {
  permissive: false,
  campaigns: [{ id: 'c-1', taxonomyKeys: ['KEY1', 'KEY2'] }],
  pools: [
    { name: 'pool-big', tasks: 1000 },
    { name: 'pool-small', tasks: 2 },
  ],
  annotationRequests: [{ annotationRequestId: 'existing', annotationRequestName: 'Existing request', campaignId: 'c-1' }],
};
const ar = (id: string, extra: Record<string, unknown> = {}) => ({
  annotationRequestId: id,
  annotationRequestName: `name ${id}`,
  campaignId: 'c-1',
  sceneIdMap: { s1: 'gs://b/1.yaml', s2: 'gs://b/2.yaml', s3: 'gs://b/3.yaml' },
  ...extra,
});

describe('simulated platform', () => {
  it.each([
    ['a new request', ar('new'), 2000],
    ['a taken id', ar('existing'), 53004],
    ['a taken name', ar('other', { annotationRequestName: 'Existing request' }), 53005],
    ['an unknown campaign', ar('x', { campaignId: 'nope' }), 51008],
    ['operator keys outside the taxonomy', ar('x', { operatorKeys: ['KEY1', 'KEY9'] }), 52003],
    ['operator keys inside the taxonomy', ar('y', { operatorKeys: ['KEY2'] }), 2000],
    ['an id over 255 bytes', ar('é'.repeat(128)), 53002],
    ['no scenes', ar('x', { sceneIdMap: {} }), 53002],
  ])('annotation request: %s → %i', async (_what, body, code) => {
    const sim = await simulator({ fixtures: FIXTURES });
    const result = await client(sim, { retry: { attempts: 1 } }).createAnnotationRequest(body as never);
    expect(result.code).toBe(code);
  });

  it.each([
    ['a new package', { annotationRequestId: 'existing', poolName: 'pool-big', samplingRatio: 0.5 }, 2000],
    ['an unknown request', { annotationRequestId: 'missing', poolName: 'pool-big', samplingQuantity: 1 }, 53003],
    ['an unknown pool', { annotationRequestId: 'existing', poolName: 'nope', samplingQuantity: 1 }, 55005],
    ['ratio and quantity', { annotationRequestId: 'existing', poolName: 'pool-big', samplingRatio: 0.5, samplingQuantity: 1 }, 57015],
  ])('sampling: %s → %i', async (_what, body, code) => {
    const sim = await simulator({ fixtures: FIXTURES });
    const result = await client(sim, { retry: { attempts: 1 } }).createSamplingPackage(body as never);
    expect(result.code).toBe(code);
  });

  it('assigns package ids on the server and exhausts a pool (5606)', async () => {
    const sim = await simulator({ fixtures: FIXTURES });
    const c = client(sim, { retry: { attempts: 1 } });
    const body = { annotationRequestId: 'existing', poolName: 'pool-small', samplingQuantity: 1 };
    const first = await c.createSamplingPackage(body);
    const second = await c.createSamplingPackage(body);
    const third = await c.createSamplingPackage(body);
    expect(first.data?.samplingPackageId).toBe(5888);
    expect(second.data?.samplingPackageId).toBe(5889);
    expect(third).toMatchObject({ outcome: 'failed', code: 5606 });
    expect(sim.platform.listSamplingPackages()).toHaveLength(2);
  });

  it('answers 53001 while the same id is still being processed', async () => {
    const sim = await simulator({ faults: { latencyMs: 0 } });
    sim.faults.inject('annotation-request', { type: 'delay', ms: 300 });
    const c = client(sim, { retry: { attempts: 1 } });
    const slow = c.createAnnotationRequest(ar('dup'));
    while (!sim.platform.isProcessing(ar('dup').annotationRequestId)) await new Promise((r) => setTimeout(r, 5));
    const second = await c.createAnnotationRequest(ar('dup'));
    expect(second).toMatchObject({ outcome: 'transient', code: 53001 });
    expect((await slow).code).toBe(2000);
    // Retried later, the duplicate is confirmed by 53004.
    expect((await c.createAnnotationRequest(ar('dup'))).code).toBe(53004);
    expect(sim.platform.listAnnotationRequests()).toHaveLength(1);
  });

  it('random faults are reproducible for a seed', async () => {
    const outcomes = async (seed: number) => {
      const sim = await simulator({ seed, faults: { rate5000: 0.3, resetRate: 0.1 } });
      const c = client(sim, { retry: { attempts: 1 } });
      const out: string[] = [];
      for (let i = 0; i < 30; i++) out.push((await c.createAnnotationRequest(ar(`r${i}`))).outcome);
      return out;
    };
    const a = await outcomes(7);
    expect(await outcomes(7)).toEqual(a);
    expect(a).toContain('transient');
    expect(a).toContain('ok');
    expect(await outcomes(8)).not.toEqual(a);
  });
});

describe('rosetta simulator (a real process)', () => {
  it('serves a signed request made without the project client, and stops on SIGTERM', async () => {
    const dir = tempDir({ 'fixtures.yaml': 'campaigns:\n  - id: c-1\npools: []\n' });
    const child = spawn(process.execPath, [BIN, 'simulator', '--port', '0', '--fixtures', `${dir}/fixtures.yaml`], { env: { ...process.env, ROSETTA_ACCESS_KEY: '', ROSETTA_SECRET_KEY: '' } });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (\S+)[\s\S]*Try:/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).toContain('ROSETTA_ACCESS_KEY=sim-access-key ROSETTA_SECRET_KEY=sim-secret-key');

    const ts = String(Date.now());
    const sign = createHash('md5').update(`${ts}&sim-secret-key&sim-access-key`).digest('hex');
    const body = JSON.stringify(ar('curl-1'));
    const answer = await new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(`${url}/annotation-request`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-STARDUST-KEY': 'sim-access-key', 'X-TS': ts, 'X-SIGN': sign } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ code: 2000, message: 'Success', data: null, success: true });
    expect(answer.json.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.json.date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('Rosetta simulator stopped');
  });
});
