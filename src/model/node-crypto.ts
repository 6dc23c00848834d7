/**
 * node:crypto, loaded the first time something hashes or draws a random id. Loading it costs a
 * command sixteen of Node's internal modules (~7 ms), which `state list`, `--help` and the
 * error paths never need; a static import made every command pay.
 */
let loaded: typeof import('node:crypto') | undefined;
export function nodeCrypto(): typeof import('node:crypto') {
  // Kept: getBuiltinModule looks the name up on every call (an apply signs a thousand requests).
  return (loaded ??= process.getBuiltinModule('node:crypto'));
}
