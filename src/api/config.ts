/**
 * Endpoint and credentials from flags and the environment. Secrets come only
 * from the environment and are never echoed back, not even in errors.
 */
import { RosettaError } from '../errors.js';
import { isLoopbackHost } from '../model/hosts.js';
import type { Credentials } from './signing.js';

export interface EndpointOptions {
  endpoint?: string | undefined;
  insecure?: boolean | undefined;
}

/** The API base URL, checked: absolute, ends in /rosetta-open, https unless loopback or --insecure. */
export function resolveEndpoint(options: EndpointOptions, env: NodeJS.ProcessEnv): string {
  const raw = options.endpoint ?? env.ROSETTA_ENDPOINT;
  if (raw === undefined || raw.trim() === '') {
    throw new RosettaError('ROS_CONFIG', 'no API endpoint: set ROSETTA_ENDPOINT or pass --endpoint', {
      hint: 'for example https://<domain>/rosetta-open, or the URL that `rosetta simulator` prints',
    });
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new RosettaError('ROS_CONFIG', `the endpoint is not an absolute URL: ${JSON.stringify(raw)}`);
  }
  if (url.username || url.password) {
    throw new RosettaError('ROS_CONFIG', 'the endpoint must not contain credentials', { hint: 'use ROSETTA_ACCESS_KEY and ROSETTA_SECRET_KEY' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RosettaError('ROS_CONFIG', `the endpoint must be an https URL, found ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !options.insecure) {
    throw new RosettaError('ROS_CONFIG', `refusing plain http to ${url.host}: the signature can be replayed by anyone who sees a request`, {
      hint: 'use https, or pass --insecure if you really mean it',
    });
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/rosetta-open')) {
    throw new RosettaError('ROS_CONFIG', `the endpoint must end in /rosetta-open, found ${JSON.stringify(url.origin + path)}`);
  }
  return `${url.origin}${path}`;
}

export function resolveCredentials(env: NodeJS.ProcessEnv): Credentials {
  const missing = ['ROSETTA_ACCESS_KEY', 'ROSETTA_SECRET_KEY'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new RosettaError('ROS_CONFIG', `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`, {
      hint: 'export the AccessKey ID and secret of your Rosetta account (secrets are read only from the environment)',
    });
  }
  for (const name of ['ROSETTA_ACCESS_KEY', 'ROSETTA_SECRET_KEY']) {
    // Checked before any request: a key undici cannot send would otherwise fail every create, and
    // the value is never echoed (it may be the secret).
    const problem = keyProblem(env[name]!);
    if (problem) {
      throw new RosettaError('ROS_CONFIG', `${name} ${problem}`, {
        hint: 'a file edited on Windows ends lines with \\r\\n: strip it, e.g. tr -d \'\\r\' < key.txt',
      });
    }
  }
  return { accessKey: env.ROSETTA_ACCESS_KEY!, secretKey: env.ROSETTA_SECRET_KEY! };
}

/** Keys travel in a header (the access key) or in the signed text: printable ASCII without spaces. */
function keyProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break (carriage return or newline)';
  if (/^\s|\s$/.test(value)) return 'starts or ends with whitespace';
  if (!/^[\x21-\x7e]+$/.test(value)) return 'contains characters other than printable ASCII';
  return undefined;
}
