/** Content digests of wire bodies: sha256 over canonical JSON (RFC 8785, via canonicalize). */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('cannot canonicalise an undefined value');
  return text;
}

export function bodyDigest(body: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`;
}
