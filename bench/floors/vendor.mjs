// The vendor's sample client: one signed request at a time, each on a new connection (as its curl
// sample does). node bench/floors/vendor.mjs PLAN.json ENDPOINT
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const [planFile, endpoint] = process.argv.slice(2);
const PATHS = { AnnotationRequest: '/annotation-request', SamplingPlan: '/sampling/create' };
const [accessKey, secretKey] = ['sim-access-key', 'sim-secret-key'];
for (const { kind, body, action } of JSON.parse(readFileSync(planFile, 'utf8')).changes) {
  if (action !== 'create') continue;
  const ts = String(Date.now());
  const sign = createHash('md5').update(`${ts}&${secretKey}&${accessKey}`).digest('hex');
  const answer = await new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'application/json', 'X-STARDUST-KEY': accessKey, 'X-TS': ts, 'X-SIGN': sign };
    const req = request(`${endpoint}${PATHS[kind]}`, { method: 'POST', agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  if (answer.code !== 2000) throw new Error(`answered ${answer.code}`);
}
