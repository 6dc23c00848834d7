// The client against the real simulator over loopback HTTP.
import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSINESS_CODES } from '../../src/api/codes.js';
import { systemClock, type RetryEvent } from '../../src/api/client.js';
import { signature } from '../../src/api/signing.js';
import type { AnnotationRequestBody } from '../../src/manifest/types.js';
import { SIMULATOR_CREDENTIALS } from '../../src/sim/server.js';
import { tempDir } from '../helpers/files.js';
import { client, recordingClock, simulator } from '../helpers/sim.js';

const request = (id = 'ar-1', name = `Request ${id}`): AnnotationRequestBody => ({
  annotationRequestId: id,
  annotationRequestName: name,
  campaignId: 'campaign-1',
  sceneIdMap: { 's-1': 'gs://bucket/a.yaml', 's-2': 'not-a-uri' },
});

describe('signing', () => {
  it('matches MD5(ts&secret&key) computed independently, fresh per attempt', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(seen.length < 2 ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 2000, message: 'Success', data: null, requestId: 'r1', success: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rosetta-open`;
    let tick = 1_700_000_000_000;
    const clock = { now: () => tick++, sleep: async () => undefined };
    const c = client({ url }, { credentials: { accessKey: 'AK', secretKey: 'SK' }, clock });
    const result = await c.createAnnotationRequest(request());
    server.close();
    expect(result).toMatchObject({ outcome: 'ok', attempts: 2 });
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      const ts = headers['x-ts'] as string;
      expect(ts).toMatch(/^\d{13}$/);
      expect(headers['x-stardust-key']).toBe('AK');
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-sign']).toBe(createHash('md5').update(`${ts}&SK&AK`).digest('hex'));
    }
    expect(seen[0]!['x-ts']).not.toBe(seen[1]!['x-ts']);
    expect(signature('1', { accessKey: 'a', secretKey: 's' })).toBe(createHash('md5').update('1&s&a').digest('hex'));
  });
});

// What ../shared/rosetta-api/README.md says the reconciler does with each code, written out here
// rather than read from the table under test.
const DOCUMENTED_OUTCOMES: [number, string][] = [
  [2000, 'ok'],
  [5000, 'transient'],
  [53001, 'transient'],
  [53002, 'failed'],
  [53003, 'failed'],
  [53004, 'adopted'],
  [53005, 'adopted'],
  [51008, 'failed'],
  [52001, 'failed'],
  [52002, 'failed'],
  [52003, 'failed'],
  [5606, 'failed'],
  [55005, 'failed'],
  [57008, 'failed'],
  [57015, 'failed'],
  [4005, 'failed'],
  [51000, 'failed'],
  [99999, 'failed'],
];

describe('business codes', () => {
  it.each(DOCUMENTED_OUTCOMES)('code %i → %s', async (code, outcome) => {
    const sim = await simulator();
    sim.faults.inject('annotation-request', { type: 'business', code }, 10);
    const c = client(sim, { retry: { attempts: 1 } });
    const result = await c.createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome, code, attempts: 1, httpStatus: 200 });
    expect(result.requestId).toMatch(/^[0-9a-f]{32}$/);
    if (BUSINESS_CODES[code]) expect(result.message).toBe(BUSINESS_CODES[code].message);
  });

  it('gives a hint for user errors', async () => {
    const sim = await simulator({ fixtures: { permissive: false, campaigns: [], pools: [], annotationRequests: [] } });
    const result = await client(sim).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'failed', code: 51008, message: 'Campaign not exists.' });
    expect(result.hint).toMatch(/campaignId/);
  });
});

describe('retries', () => {
  it('a retry\'s sleep leaves no listener on the apply\'s shared signal', async () => {
    const shared = new AbortController();
    for (let i = 0; i < 20; i++) await systemClock.sleep(1, shared.signal);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    // And a sleep still ends at once when the signal fires.
    const started = Date.now();
    const long = systemClock.sleep(60_000, shared.signal);
    shared.abort();
    await long;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('creates in flight share one listener on the apply\'s signal, and its abort cancels them all', async () => {
    const sim = await simulator({ faults: { latencyMs: [60_000, 60_000] } });
    const shared = new AbortController();
    const c = client(sim);
    const inFlight = Array.from({ length: 20 }, (_, i) => c.createAnnotationRequest(request(`ar-${i}`), { signal: shared.signal }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 20 listeners would set off Node's MaxListenersExceededWarning (its limit is 10).
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    const started = Date.now();
    shared.abort();
    const results = await Promise.all(inFlight);
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const result of results) expect(result).toMatchObject({ outcome: 'ambiguous', attempts: 1, message: expect.stringMatching(/cancelled/) });
  });

  it('retries transient answers with capped exponential backoff and full jitter', async () => {
    const sim = await simulator();
    sim.faults.inject('annotation-request', { type: 'business', code: 5000 }, 4);
    const clock = recordingClock();
    const events: RetryEvent[] = [];
    const c = client(sim, { clock, random: () => 0.5, retry: { attempts: 5, baseDelayMs: 500, maxDelayMs: 1500 }, onRetry: (e) => events.push(e) });
    const result = await c.createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'ok', code: 2000, attempts: 5 });
    // half of min(cap, base·2^(n-1)): 250, 500, 750 (cap 1500), 750
    expect(clock.sleeps).toEqual([250, 500, 750, 750]);
    expect(events.map((e) => e.reason)).toEqual(Array(4).fill('5000 Service hiccuped, please try again later.'));
    expect(sim.received['annotation-request']).toBe(5);
  });

  it('gives up after the last attempt and reports the last answer', async () => {
    const sim = await simulator();
    sim.faults.inject('annotation-request', { type: 'business', code: 53001 }, 3);
    const result = await client(sim, { retry: { attempts: 3 } }).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'transient', code: 53001, attempts: 3 });
    expect(sim.platform.listAnnotationRequests()).toEqual([]);
  });

  it('honours Retry-After', async () => {
    const sim = await simulator();
    sim.faults.inject('annotation-request', { type: 'http', status: 503, headers: { 'retry-after': '3' } });
    const clock = recordingClock();
    const result = await client(sim, { clock }).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'ok', attempts: 2 });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('retries a refused connection (nothing was sent)', async () => {
    const sim = await simulator();
    const url = sim.url;
    await sim.close();
    const clock = recordingClock();
    const result = await client({ url }, { clock, retry: { attempts: 3 } }).createSamplingPackage({ annotationRequestId: 'a', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'transient', attempts: 3 });
    expect(result.message).toMatch(/could not connect.*ECONNREFUSED/);
    expect(clock.sleeps).toHaveLength(2);
  });
});

describe('ambiguous answers', () => {
  it('an annotation request dropped after commit is retried and confirmed by 53004', async () => {
    const sim = await simulator();
    sim.faults.inject('annotation-request', { type: 'commit-then-drop' });
    const result = await client(sim).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'adopted', code: 53004, attempts: 2 });
    expect(sim.platform.listAnnotationRequests()).toHaveLength(1);
  });

  it('a sampling create dropped after commit is reported ambiguous and never resent', async () => {
    const sim = await simulator();
    await client(sim).createAnnotationRequest(request());
    sim.faults.inject('sampling', { type: 'commit-then-drop' });
    const result = await client(sim).createSamplingPackage({ annotationRequestId: 'ar-1', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', attempts: 1 });
    expect(sim.received.sampling).toBe(1);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
  });

  it('a sampling create that times out is ambiguous', async () => {
    const sim = await simulator();
    await client(sim).createAnnotationRequest(request());
    sim.faults.inject('sampling', { type: 'hang', commit: true });
    const result = await client(sim, { timeouts: { headersMs: 200 } }).createSamplingPackage({ annotationRequestId: 'ar-1', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', attempts: 1 });
    expect(result.message).toMatch(/no answer/);
    expect(sim.received.sampling).toBe(1);
  });

  it('a reset sampling create is ambiguous (the client cannot know it was not processed)', async () => {
    const sim = await simulator();
    sim.faults.inject('sampling', { type: 'reset' });
    const result = await client(sim).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', attempts: 1 });
  });

  it.each([true, false])('a real TCP reset (RST) of a sampling create is ambiguous (stored first: %s)', async (commit) => {
    const sim = await simulator();
    sim.faults.inject('sampling', { type: 'rst', commit });
    const result = await client(sim).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', attempts: 1 });
    expect(result.message).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(sim.received.sampling).toBe(1);
  });

  it.each([502, 504])('a sampling create answered HTTP %i is ambiguous, never resent', async (status) => {
    const sim = await simulator();
    sim.faults.inject('sampling', { type: 'http', status, body: '{"code":5000}' });
    const result = await client(sim).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', httpStatus: status, attempts: 1 });
    expect(sim.received.sampling).toBe(1);
  });

  it('a sampling 2000 without a samplingPackageId is not a created package', async () => {
    const sim = await simulator();
    sim.faults.inject('sampling', { type: 'http', status: 200, body: '{"code":2000,"message":"Success","data":{},"requestId":"r-1"}' });
    const result = await client(sim).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', code: 2000, message: 'the API reported success without a samplingPackageId' });
  });

  it('a request that cannot be built is failed, not ambiguous: nothing was sent', async () => {
    const sim = await simulator();
    const c = client(sim, { credentials: { accessKey: 'qa-ak\r', secretKey: 's' } });
    const result = await c.createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(result.message).toMatch(/^not sent: the request could not be built: .*\(UND_ERR_INVALID_ARG\)$/);
    expect(sim.received.sampling).toBe(0);
  });

  it('a non-JSON 502 proxy page: transient for a request, ambiguous for sampling, with status and excerpt', async () => {
    const sim = await simulator();
    const page = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    sim.faults.inject('annotation-request', { type: 'http', status: 502, body: page }, 2);
    const ar = await client(sim, { retry: { attempts: 2 } }).createAnnotationRequest(request());
    expect(ar).toMatchObject({ outcome: 'transient', httpStatus: 502, attempts: 2 });
    expect(ar.message).toBe('HTTP 502 — "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"');
    sim.faults.inject('sampling', { type: 'http', status: 502, body: page });
    const sp = await client(sim).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(sp).toMatchObject({ outcome: 'ambiguous', httpStatus: 502, attempts: 1 });
  });

  it('a 200 whose body is not an envelope is not trusted', async () => {
    const sim = await simulator();
    sim.faults.inject('sampling', { type: 'http', status: 200, body: '{"ok":true}' });
    const sp = await client(sim).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(sp).toMatchObject({ outcome: 'ambiguous', httpStatus: 200 });
    expect(sp.message).toBe('HTTP 200 with a body that is not a Rosetta answer: "{\\"ok\\":true}"');
  });

  it('refuses an oversized answer', async () => {
    const sim = await simulator();
    sim.faults.inject('annotation-request', { type: 'http', status: 200, body: 'x'.repeat(100_000) });
    const result = await client(sim, { maxResponseBytes: 10_000 }).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(result.message).toBe('the server answered with a response body larger than 10000 bytes');
  });

  it('an oversized answer to a sampling create is ambiguous (it may have been created), and is not sent again', async () => {
    const sim = await simulator();
    sim.faults.inject('sampling', { type: 'http', status: 200, body: 'x'.repeat(100_000) }, 5);
    const result = await client(sim, { maxResponseBytes: 10_000 }).createSamplingPackage({ annotationRequestId: 'x', poolName: 'p', samplingQuantity: 1 });
    expect(result).toMatchObject({ outcome: 'ambiguous', attempts: 1 });
    expect(sim.received.sampling).toBe(1);
  });
});

describe('authentication', () => {
  it('a bad signature is HTTP 401 with no side effect', async () => {
    const sim = await simulator();
    const result = await client(sim, { credentials: { accessKey: SIMULATOR_CREDENTIALS.accessKey, secretKey: 'wrong' } }).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 401, attempts: 1 });
    expect(result.message).toBe('HTTP 401: invalid signature');
    expect(result.hint).toMatch(/ROSETTA_SECRET_KEY/);
    expect(sim.platform.listAnnotationRequests()).toEqual([]);
  });

  it('a timestamp more than 5 minutes off is rejected with no side effect', async () => {
    const sim = await simulator();
    const clock = { now: () => Date.now() - 6 * 60 * 1000, sleep: async () => undefined };
    const result = await client(sim, { clock }).createAnnotationRequest(request());
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 401 });
    expect(result.message).toBe('HTTP 401: X-TS is outside the accepted window');
    expect(sim.platform.listAnnotationRequests()).toEqual([]);
  });
});

describe('reading an annotation request', () => {
  it('moves from PROCESSING to FINISHED with per-scene errors', async () => {
    let now = Date.now();
    const sim = await simulator({ now: () => now, processingMs: 1000 });
    const c = client(sim, { clock: { now: () => now, sleep: async () => undefined } });
    expect((await c.getAnnotationRequest('ar-1')).data).toEqual({ status: 'ID_NOT_EXISTS' });
    await c.createAnnotationRequest(request());
    expect((await c.getAnnotationRequest('ar-1')).data?.status).toBe('PROCESSING');
    now += 1500;
    const done = await c.getAnnotationRequest('ar-1');
    expect(done).toMatchObject({ outcome: 'ok', code: 2000 });
    expect(done.data).toMatchObject({
      status: 'FINISHED',
      errorSceneIdMap: { 's-2': 'scene file is not a readable storage URI: not-a-uri' },
      annotationRequestInfo: { annotationRequestId: 'ar-1', annotationRequestName: 'Request ar-1', campaignId: 'campaign-1' },
    });
    expect(Object.values(done.data?.successTaskMap ?? {})).toEqual(['s-1']);
  });
});

describe('secrets', () => {
  it('the secret appears in no result, retry event or request log', async () => {
    const secretKey = 'TOP-SECRET-value-1234';
    const dir = tempDir();
    const logFile = join(dir, 'requests.jsonl');
    const sim = await simulator({ credentials: [{ accessKey: 'AK', secretKey }], logFile });
    const captured: unknown[] = [];
    const c = client(sim, { credentials: { accessKey: 'AK', secretKey }, retry: { attempts: 2 }, onRetry: (e) => captured.push(e) });
    sim.faults.inject('annotation-request', { type: 'http', status: 502 });
    sim.faults.inject('sampling', { type: 'reset' });
    captured.push(await c.createAnnotationRequest(request()));
    captured.push(await c.createSamplingPackage({ annotationRequestId: 'ar-1', poolName: 'p', samplingQuantity: 1 }));
    captured.push(await client(sim, { credentials: { accessKey: 'AK', secretKey: `${secretKey}x` } }).createAnnotationRequest(request('ar-2')));
    await sim.close();
    const log = readFileSync(logFile, 'utf8');
    expect(log.trim().split('\n').length).toBeGreaterThanOrEqual(4);
    expect(log).toContain('"signature":"invalid"');
    expect(JSON.stringify(captured)).not.toContain(secretKey);
    expect(log).not.toContain(secretKey);
  });
});
