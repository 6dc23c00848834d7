/**
 * UUID version 5 (RFC 9562: SHA-1 of a namespace and a name), for ids derived stably from names.
 * Ten lines of node:crypto instead of the uuid package, whose modules took longer to load than
 * a small `rosetta plan` takes to run; the results are the same (pinned by tests).
 */
import { nodeCrypto } from './node-crypto.js';

export function uuidV5(name: string, namespace: string): string {
  // The namespace's 16 bytes then the name's UTF-8, hashed in one call (crypto.hash: no Hash object).
  const namespaceBytes = namespaces.get(namespace) ?? namespaceBytesOf(namespace);
  const input = Buffer.allocUnsafe(16 + Buffer.byteLength(name, 'utf8'));
  namespaceBytes.copy(input, 0);
  input.write(name, 16, 'utf8');
  const hash = nodeCrypto().hash('sha1', input, 'buffer') as unknown as Buffer;
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // the RFC's variant
  const hex = hash.subarray(0, 16).toString('hex');
  // join, not a template: a template's result is a tree of concatenations V8 keeps as such (eight
  // heap objects, ~300 bytes for each of 100,000 derived ids); join makes one flat string.
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** The few namespaces ids are derived in, as bytes, converted once each. */
const namespaces = new Map<string, Buffer>();
function namespaceBytesOf(namespace: string): Buffer {
  const bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  namespaces.set(namespace, bytes);
  return bytes;
}
