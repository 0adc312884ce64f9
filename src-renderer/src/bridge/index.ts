import type { Api } from '../../../src-preload/contract/api'
import { unwrapEnvelopes, type EnvelopeApi } from '../../../src-preload/contract/client'

/**
 * The only module that touches `window.qubs`. Everything else in the renderer imports from here, so
 * tests can hand in a fake and the harness can hand in its WebSocket client.
 */
declare global {
  interface Window {
    readonly qubs?: EnvelopeApi
  }
}

export class BridgeMissingError extends Error {
  constructor() {
    super('The QUBS bridge is not available: the page was not opened by QUBS Reporter.')
    this.name = 'BridgeMissingError'
  }
}

let unwrapped: { readonly source: EnvelopeApi; readonly api: Api } | undefined

/**
 * The app's `Api`. `window.qubs` answers with envelopes (errors cannot cross Electron's context bridge
 * intact); they are turned into `QubsIpcError`s here, in the page's world, so codes survive.
 */
export function getBridge(): Api {
  const source = window.qubs
  if (!source) throw new BridgeMissingError()
  if (unwrapped?.source !== source) unwrapped = { source, api: unwrapEnvelopes(source) }
  return unwrapped.api
}
