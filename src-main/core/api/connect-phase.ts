import { buildConnector } from 'undici'

/**
 * Knowing that a request never left this machine. undici reports a failure to connect (DNS, refused,
 * TLS handshake refused or cut) with the same error objects as a failure after the request was
 * written — an ECONNRESET during the TLS handshake and one after the body was sent look alike. The
 * difference decides whether QUBS may have applied a report (the outbox's 23 h rule), so it is taken
 * from where the error happened, not guessed from its code: the client's connector marks every error
 * of the connect phase, which ends only once the socket (TLS included) is ready to carry the request.
 */
const connectPhaseErrors = new WeakSet<object>()

/** undici's own connector (TCP, then TLS for https), with its errors marked as "nothing was sent". */
export function markingConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector(options)
  return (connectOptions, callback) => {
    connect(connectOptions, (...args: buildConnector.CallbackArgs) => {
      const [error] = args
      if (error !== null && typeof error === 'object') connectPhaseErrors.add(error)
      callback(...args)
    })
  }
}

/**
 * Codes that can only arise before the request was written, for dispatchers the client did not build
 * (injected ones carry no mark): name resolution, routing, refusal, and the TLS certificate checks.
 */
const CONNECT_ONLY_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
])

/** True when `error` (or an error it wraps) happened before any byte of the request was sent. */
export function failedInConnectPhase(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current !== null && typeof current === 'object' && depth < 8;
    depth++
  ) {
    if (connectPhaseErrors.has(current)) return true
    const code = (current as { code?: unknown }).code
    // Not OpenSSL's ERR_SSL_… by code: those also arise after the handshake (a bad record on a kept-
    // alive socket, the request already written). A handshake failure is known by the connector's mark;
    // unmarked, it is counted as "may have been applied", the safe side for the 23 h rule.
    if (typeof code === 'string' && CONNECT_ONLY_CODES.has(code)) return true
    const cause = (current as { cause?: unknown }).cause
    if (cause === current) break
    current = cause
  }
  return false
}
