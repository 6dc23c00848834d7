// The floor for `rosetta apply`: the plan's creates sent as signed requests through one keep-alive
// undici pool, IN_FLIGHT at a time, nothing checked or recorded. A whole process, like apply.
//   node bench/floors/raw-pool.mjs PLAN.json ENDPOINT IN_FLIGHT
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

const [planFile, endpoint, inFlight] = process.argv.slice(2);
const PATHS = { AnnotationRequest: '/annotation-request', SamplingPlan: '/sampling/create' };
const creates = JSON.parse(readFileSync(planFile, 'utf8')).changes.filter((c) => c.action === 'create');
const agent = new Agent({ keepAliveTimeout: 4_000 });
const [accessKey, secretKey] = ['sim-access-key', 'sim-secret-key'];
let next = 0;
let ok = 0;
async function worker() {
  while (next < creates.length) {
    const { kind, body } = creates[next++];
    const ts = String(Date.now());
    const sign = createHash('md5').update(`${ts}&${secretKey}&${accessKey}`).digest('hex');
    const headers = { 'content-type': 'application/json', 'x-stardust-key': accessKey, 'x-ts': ts, 'x-sign': sign };
    const response = await request(`${endpoint}${PATHS[kind]}`, { method: 'POST', dispatcher: agent, headers, body: JSON.stringify(body) });
    if ((await response.body.json()).code === 2000) ok++;
  }
}
await Promise.all(Array.from({ length: Number(inFlight) }, worker));
await agent.close();
if (ok !== creates.length) throw new Error(`${creates.length - ok} of ${creates.length} creates were not answered 2000`);
