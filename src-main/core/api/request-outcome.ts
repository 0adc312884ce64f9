import type { QubsError } from './errors'

/**
 * What each finished API operation says about the link to QUBS. The client reports every outcome
 * (worklist reads as much as deliveries) to whoever listens; the sync engine's connectivity and the
 * outbox's failure classification read the same evidence from the same errors, so the header can
 * never say "connected" while the secret is wrong or QUBS unreachable.
 */
export type RequestOutcome = { readonly ok: true } | { readonly ok: false; readonly error: QubsError }

export type OutcomeListener = (outcome: RequestOutcome) => void

export type LinkState = 'online' | 'offline' | 'credentials-refused'

export interface LinkEvidence {
  readonly state: LinkState
  /** Short and PHI-free: built from the kind and status only. */
  readonly detail?: string
}

/**
 * The link state a failure proves, or null when it proves nothing (we cancelled it, or it was refused
 * on this machine before anything was sent).
 */
export function linkEvidence(error: QubsError): LinkEvidence | null {
  switch (error.kind) {
    case 'aborted':
    case 'validation':
      return null
    case 'network':
      return { state: 'offline', detail: 'QUBS could not be reached.' }
    case 'timeout':
      return { state: 'offline', detail: 'QUBS did not answer in time.' }
    case 'auth':
      return {
        state: 'credentials-refused',
        detail: `QUBS refused the client credentials${error.status ? ` (status ${error.status})` : ''}.`,
      }
    case 'http':
      // A 403 on the API is the domain (or site) refused to these credentials; the token endpoint's
      // own refusals arrive as 'auth'.
      if (error.status === 403 && !error.notSent) {
        return {
          state: 'credentials-refused',
          detail: 'QUBS refused these credentials for the domain (status 403).',
        }
      }
      return { state: 'online' }
    case 'invalid-response':
      return { state: 'online' }
  }
}
