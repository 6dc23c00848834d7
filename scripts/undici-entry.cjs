// The part of undici the CLI uses, as the entry of its bundle (dist/bundle/undici.cjs, made by
// scripts/build.mjs): its Agent and Dispatcher#request, which is what undici's own
// `request(url, { dispatcher })` calls. undici's index.js also loads fetch, WebSocket, cookies,
// mocks, caches and interceptors, which no command uses: that was half of the bundle's load time.
// The proxy agent (only when a proxy variable is set) and the global dispatcher (only for
// notifications) are loaded when first asked for; of lib/api, request() is what rosetta calls,
// and the rest (connect(), which the proxy agent's tunnels use) comes with the proxy agent.
// src/api/transport.ts holds the few lines that call it (requestOn).
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
// As undici's index.js does for every call of lib/api: request() now, the others with the proxy agent.
Dispatcher.prototype.request = require('undici/lib/api/api-request.js');

module.exports = {
  Agent: require('undici/lib/dispatcher/agent.js'),
  get EnvHttpProxyAgent() {
    Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));
    return require('undici/lib/dispatcher/env-http-proxy-agent.js');
  },
  get getGlobalDispatcher() {
    return require('undici/lib/global.js').getGlobalDispatcher;
  },
};
