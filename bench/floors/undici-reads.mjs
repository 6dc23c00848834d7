// The floor for `rosetta status` of one annotation request: the same two signed reads (its status
// and its task schedule) with undici, printed, nothing else. A whole process, like status.
//   node bench/floors/undici-reads.mjs STATE.json ENDPOINT
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

const [statePath, endpoint] = process.argv.slice(2);
const [accessKey, secretKey] = ['sim-access-key', 'sim-secret-key'];
const agent = new Agent();
for (const record of Object.values(JSON.parse(readFileSync(statePath, 'utf8')).resources)) {
  for (const path of ['/annotation-request', '/annotation-request/task/schedule']) {
    const ts = String(Date.now());
    const sign = createHash('md5').update(`${ts}&${secretKey}&${accessKey}`).digest('hex');
    const response = await request(`${endpoint}${path}?annotationRequestId=${record.annotationRequestId}`, { dispatcher: agent, headers: { 'x-stardust-key': accessKey, 'x-ts': ts, 'x-sign': sign } });
    process.stdout.write(`${JSON.stringify(await response.body.json())}\n`);
  }
}
await agent.close();
