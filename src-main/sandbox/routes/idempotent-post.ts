/**
 * The common path of the three reporting POSTs, in this order:
 *   Idempotency-Key header (400 when malformed) → JSON body (415, 413, 400) → key lookup: same payload
 *   replays the recorded answer, another payload is 409 → appointment pending (404) → the endpoint's
 *   own validation and effect → the 2xx answer is recorded under the key.
 * A recorded key is answered before the appointment's status is looked at: the reference promises the
 * original response for the same key and payload, and a client that lost the answer to a committed
 * final report must learn it was delivered even if the appointment has since left the worklist.
 * The `strictness.statusBeforeReplay` option reverses that, for testing clients against a QUBS that
 * checks the status first (the documents allow either reading).
 */
import type { RouteContext } from '../context'
import { param, principalOf } from '../context'
import { type Reply, canonicalJson, parseJson, readBody, requireJsonContentType, sha256Hex } from '../http-io'
import {
  type IdempotencyScope,
  type IdempotentEndpoint,
  idempotencyConflict,
  parseIdempotencyKey,
} from '../idempotency'
import type { AppointmentState, DomainState } from '../store'

/**
 * The documented limit is on reportText's UTF-8 bytes (2 097 152), checked by the report route; the
 * raw body only needs a bound that can never refuse a valid report first. JSON escaping grows text by
 * at most six times (a one-byte control character becomes `\u0001`), so the bound is six times the
 * report limit plus a megabyte for the other fields.
 */
export const MAX_REPORT_TEXT_BYTES = 2_097_152
const WORST_JSON_ESCAPE_FACTOR = 6
export const JSON_BODY_LIMIT_BYTES = WORST_JSON_ESCAPE_FACTOR * MAX_REPORT_TEXT_BYTES + 1024 * 1024

export interface PostInput {
  readonly domain: DomainState
  readonly appointment: AppointmentState
  readonly body: unknown
  /** sha256 of the body bytes as received. */
  readonly payloadSha256: string
  readonly idempotencyKey: string | null
}

export async function idempotentPost(
  context: RouteContext,
  endpoint: IdempotentEndpoint,
  apply: (input: PostInput) => Reply,
): Promise<Reply> {
  const { req, deps } = context
  const key = parseIdempotencyKey(req.headers['idempotency-key'])
  requireJsonContentType(req)
  const raw = await readBody(req, JSON_BODY_LIMIT_BYTES)
  const body = parseJson(raw)
  const domainName = param(context, 'domain')
  const appointmentId = param(context, 'appointmentId')
  const fingerprint = sha256Hex(canonicalJson(body))
  const scope: IdempotencyScope | null =
    key === null
      ? null
      : { clientId: principalOf(context).clientId, domain: domainName, endpoint, appointmentId, key }
  // A stricter server (option) refuses a no-longer-pending appointment before looking at the key.
  if (deps.statusBeforeReplay) deps.store.pendingAppointment(domainName, appointmentId)
  if (scope) {
    const found = deps.idempotency.lookup(scope, fingerprint)
    if (found.kind === 'conflict') throw idempotencyConflict()
    if (found.kind === 'replay') {
      deps.logger.info('idempotent replay', { route: endpoint, appointmentId, idempotencyKey: key })
      return { ...found.reply, headers: { ...found.reply.headers, 'Idempotent-Replayed': 'true' } }
    }
  }
  const { domain, appointment } = deps.store.pendingAppointment(domainName, appointmentId)
  const reply = apply({ domain, appointment, body, payloadSha256: sha256Hex(raw), idempotencyKey: key })
  if (scope && reply.status >= 200 && reply.status < 300) deps.idempotency.remember(scope, fingerprint, reply)
  return reply
}
