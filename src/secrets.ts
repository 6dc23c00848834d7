/** Comparing a secret someone sent with ours (webhook tokens, the dashboard's token). */
import { nodeCrypto } from './model/node-crypto.js';

/** Compared as digests, so the time taken says nothing about the secret's length or prefix. */
export function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => nodeCrypto().createHmac('sha256', 'rosetta').update(text).digest();
  return nodeCrypto().timingSafeEqual(digest(given), digest(secret));
}
