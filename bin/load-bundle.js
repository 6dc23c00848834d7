// Loads a bundle of dist/bundle (made by scripts/build.mjs) with the V8 code cache the build
// wrote beside it (<name>.cjs.cache), so a command starts without parsing and compiling the code
// it runs: most of a small command's time was that. Two bundles: `rosetta` (the CLI) and `undici`
// (the HTTP client, loaded with the first request; alone it took ~100 ms to load from
// node_modules). The cache is only a speed-up: V8 checks it against its own version, flags and
// the source, and a cache that does not match (or is missing) is ignored and the bundle compiled
// as usual. Node 22's module.enableCompileCache does the same for every module; Node 20 has no
// such switch.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLES = join(__dirname, '..', 'dist', 'bundle');
/** name → { exports, script, file } of every bundle this process loaded (the build writes their caches). */
const loaded = new Map();

/** Runs dist/bundle/<name>.cjs as the CommonJS module it is, once; returns its exports. */
function loadBundle(name) {
  const known = loaded.get(name);
  if (known) return known.exports;
  const file = join(BUNDLES, `${name}.cjs`);
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // not built yet, or removed: compile as usual
  }
  // latin1: the bundles are ASCII (scripts/build.mjs), and reading them so skips UTF-8 decoding.
  const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, requireFrom(name, file), bundle, file, dirname(file));
  bundle.loaded = true;
  // bundle.exports, not the object passed in: an esbuild bundle assigns module.exports.
  loaded.set(name, { exports: bundle.exports, script, file });
  if (name === 'undici' && settings.wasmLiftoffOnly) wasmLiftoffOnly();
  return bundle.exports;
}

/**
 * The `require` of a bundle: another bundle it requires by a relative path (the CLI's schema
 * validators, dist/bundle/generated/<name>.cjs: scripts/build.mjs) is loaded by loadBundle, so
 * with its own code cache; everything else as Node would.
 */
function requireFrom(name, file) {
  const plain = Module.createRequire(file);
  const fromBundle = (id) => (id.startsWith('./') && id.endsWith('.cjs') ? loadBundle(join(dirname(name), id.slice(2, -'.cjs'.length))) : plain(id));
  return Object.assign(fromBundle, plain);
}

/** scripts/code-cache.mjs turns this off: the caches it writes must carry V8's default flags. */
const settings = { wasmLiftoffOnly: true };

/**
 * WebAssembly compiled by Liftoff only. undici parses HTTP with llhttp compiled to WebAssembly;
 * after a few responses V8 starts optimising the parser in the background, and a process that
 * ends then waits for that compile at exit: ~200 ms added to a `rosetta status` of one request
 * (bench: start-up: status). Liftoff's code parses the same answers, a little slower per byte,
 * which no command can see next to the network. Set once undici is loaded, before its first
 * connection compiles the parser, and never before a bundle is: V8 rejects a code cache made under
 * other flags.
 */
function wasmLiftoffOnly() {
  require('node:v8').setFlagsFromString('--liftoff-only');
}

module.exports = { loadBundle, loaded, settings };
