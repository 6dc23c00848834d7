/**
 * Request signing, exactly as the Rosetta open API documents it:
 * X-SIGN = lowercase hex MD5 of `X-TS + "&" + secret + "&" + accessKeyId`.
 * The signature covers neither body nor path, so every attempt is signed with
 * a fresh timestamp and the secret never leaves this function.
 */
import { nodeCrypto } from '../model/node-crypto.js';

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

export function signature(timestamp: string, credentials: Credentials): string {
  return nodeCrypto().hash('md5', `${timestamp}&${credentials.secretKey}&${credentials.accessKey}`);
}

export function signedHeaders(credentials: Credentials, nowMs: number): Record<string, string> {
  const timestamp = String(Math.trunc(nowMs));
  return {
    'content-type': 'application/json',
    'x-stardust-key': credentials.accessKey,
    'x-ts': timestamp,
    'x-sign': signature(timestamp, credentials),
  };
}
