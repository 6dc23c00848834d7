/**
 * node:crypto, loaded the first time something hashes or draws a random id. Loading it costs a
 * command sixteen of Node's internal modules (~7 ms), which `state list`, `--help` and the
 * error paths never need; a static import made every command pay.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
