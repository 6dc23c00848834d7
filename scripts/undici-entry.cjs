// The part of undici the CLI uses, as the entry of its bundle (dist/bundle/undici.cjs, made by
// scripts/build.mjs): its dispatchers and Dispatcher#request, which is what undici's own
// `request(url, { dispatcher })` calls. undici's index.js also loads fetch, WebSocket, cookies,
// mocks, caches and interceptors, which no command uses: that was half of the bundle's load time.
// src/api/transport.ts holds the few lines that call it (requestOn).
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
// As undici's index.js does: request() and the other calls of lib/api on every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));

module.exports = {
  Agent: require('undici/lib/dispatcher/agent.js'),
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent.js'),
  getGlobalDispatcher: require('undici/lib/global.js').getGlobalDispatcher,
};
