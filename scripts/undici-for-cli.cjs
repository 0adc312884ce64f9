'use strict'
// The CLI bundle's `undici`: only the parts the QUBS client uses — the Agent (with the request API on
// Dispatcher.prototype, which undici's own index puts there the same way), the connector and the error
// classes. undici's index would also load fetch, WebSocket, caches, cookies and mocks, about 50 ms of
// every CLI start. The app (Electron main) and the tests use undici as it is; the bundle is checked
// against it by test/main/cli/undici-for-cli.test.ts, so an undici upgrade that moves these files
// fails the build and that test, never a radiologist's command.
const Dispatcher = require('undici/lib/dispatcher/dispatcher')
Object.assign(Dispatcher.prototype, require('undici/lib/api'))

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  Dispatcher,
  buildConnector: require('undici/lib/core/connect'),
  errors: require('undici/lib/core/errors'),
}
