import type { Api } from '../../../src-preload/contract/api'

/**
 * The only module that touches `window.qubs`. Everything else in the renderer imports from here, so
 * tests can hand in a fake and the harness can hand in its WebSocket client.
 */
declare global {
  interface Window {
    readonly qubs?: Api
  }
}

export class BridgeMissingError extends Error {
  constructor() {
    super('The QUBS bridge is not available: the page was not opened by QUBS Reporter.')
    this.name = 'BridgeMissingError'
  }
}

export function getBridge(): Api {
  const api = window.qubs
  if (!api) throw new BridgeMissingError()
  return api
}
