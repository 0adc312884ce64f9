import type { ConnectionTest } from '../../../src-preload/contract/setup-schemas'
import { QubsError } from '../api'

/**
 * Turns a failed connection test into words a person setting up the app can act on ("QUBS refused the
 * client id or secret"), with the server's ids for support. Only the host of the URL the person typed
 * and the domain name appear in the text: never the secret, never a server's free-text detail.
 */
export type ConnectionProblem = NonNullable<ConnectionTest['error']>

export interface ProblemContext {
  /** Which step failed: the token grant (at the token URL) or a domain's worklist (at the API base URL). */
  readonly step: 'token' | 'worklist'
  /** The URL that step talked to. */
  readonly url: string
  readonly domain?: string
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA'])
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'])

export function explainConnectionFailure(
  error: unknown,
  context: Readonly<ProblemContext>,
): ConnectionProblem {
  const ids = idsOf(error)
  return { message: messageFor(error, context), ...ids }
}

function messageFor(error: unknown, context: Readonly<ProblemContext>): string {
  const where = originOf(context.url)
  if (!(error instanceof QubsError)) return `The connection test failed unexpectedly at ${where}.`
  switch (error.kind) {
    case 'network':
      return networkMessage(error, where)
    case 'timeout':
      return `QUBS did not answer in time at ${where}. Check the address, or try again later.`
    case 'auth':
      return 'QUBS refused the client id or secret. Check both with the values QUBS gave you.'
    case 'invalid-response':
      return `The server at ${where} answered, but not as QUBS does. Check that the ${urlName(context)} is right.`
    case 'validation':
      return `The connection settings are not valid: ${Object.keys(error.issues).join(', ') || 'check every field'}.`
    case 'aborted':
      return 'The connection test was cancelled.'
    case 'http':
      return httpMessage(error.status, context, where)
  }
}

function networkMessage(error: QubsError, where: string): string {
  const codes = codesOf(error)
  if (codes.some((code) => DNS_CODES.has(code))) {
    return `QUBS could not be reached at ${where}: no server has that name. Check the address.`
  }
  if (codes.some(isTlsCode)) {
    return `QUBS could not be reached at ${where}: its security certificate is not trusted on this computer.`
  }
  if (codes.some((code) => REFUSED_CODES.has(code))) {
    return `QUBS could not be reached at ${where}: the connection was refused. Check the address and the network.`
  }
  return `QUBS could not be reached at ${where}. Check the address and the network.`
}

function httpMessage(status: number | undefined, context: Readonly<ProblemContext>, where: string): string {
  if (status === 401) return 'QUBS refused the client id or secret. Check both with the values QUBS gave you.'
  if (status === 403) {
    return context.domain === undefined
      ? 'QUBS refused access for this client id.'
      : `QUBS refused the domain "${context.domain}": it is not an allowed domain for this client id.`
  }
  if (status === 404) {
    return `Nothing was found at the ${urlName(context)} (${where}, status 404). Check the address.`
  }
  if (status === 429) return 'QUBS is limiting requests right now. Try again in a minute.'
  if (status !== undefined && status >= 500) {
    return `QUBS had a problem answering (status ${status}). Try again later; if it persists, tell QUBS support.`
  }
  return `QUBS answered with status ${status ?? 'unknown'} at ${where}.`
}

function urlName(context: Readonly<ProblemContext>): string {
  return context.step === 'token' ? 'token URL' : 'API base URL'
}

/** Scheme, host and port: what the person typed, without any path or query. */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : 'the address given'
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  )
}

/** The `code` of every error in the cause chain (undici wraps the socket's error, sometimes twice). */
function codesOf(error: unknown): string[] {
  const codes: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
    current = current.cause
  }
  return codes
}

function idsOf(error: unknown): Omit<ConnectionProblem, 'message'> {
  if (!(error instanceof QubsError)) return {}
  return {
    ...(error.requestId ? { requestId: error.requestId } : {}),
    ...(error.correlationId ? { correlationId: error.correlationId } : {}),
    ...(error.status === undefined ? {} : { status: error.status }),
  }
}
