/** Comparing a secret someone sent with ours (webhook tokens, the dashboard's token). */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compared as digests, so the time taken says nothing about the secret's length or prefix. */
export function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHmac('sha256', 'rosetta').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
