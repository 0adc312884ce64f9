import type { ConnectionSetup } from '../../src-preload/contract'

/** What main answers for a workstation connected to a (fake) QUBS with a stored secret. */
export const CONFIGURED_SETUP: ConnectionSetup = {
  mode: 'configured',
  running: 'configured',
  firstRun: false,
  connection: {
    tokenUrl: 'https://auth.example/oauth2/token',
    apiBaseUrl: 'https://api.example',
    clientId: 'client-1',
    domains: ['north'],
    hasClientSecret: true,
  },
  sources: { tokenUrl: 'user', apiBaseUrl: 'user', clientId: 'user', domains: 'user', clientSecret: 'user' },
  envVariables: {},
}
