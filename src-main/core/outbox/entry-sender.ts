import type { Clock } from '../../common/clock'
import type { Logger } from '../../common/logger'
import { isAnswerUnreadable } from '../api/applied-answer'
import { QubsError } from '../api/errors'
import type { LinkState } from '../api/request-outcome'
import { classifyFailure, type FailureDecision } from './classify-failure'
import { OutboxError } from './context'
import type { DeliveryLedger, DeliveryTicket } from './delivery-ledger'
import {
  AttachmentUrlsAnswerSchema,
  CommentAnswerSchema,
  ReportAnswerSchema,
  UploadAnswerSchema,
  type DeliveryPort,
} from './delivery-port'
import type { RetryPolicy } from './retry-policy'
import type { DeliveryResult, EntryPayload } from './schemas'
import { findUploadedContent } from './upload-evidence'

/**
 * Delivers one entry: the request(s), and the transition that records the answer. The ledger commits
 * `sending` plus a started attempt before anything is sent, and commits the outcome after; between
 * the two the process may die at any moment, and the next start resumes with the same key.
 */

/** Points where the crash tests kill the process; called synchronously right after each commit. */
export type DeliveryProbePoint =
  'claimed' | 'answered' | 'settled' | 'upload-key-stored' | 'upload-url-received' | 'uploaded'

export type DeliveryProbe = (point: DeliveryProbePoint, entryId: string) => void

export interface SendOutcome {
  readonly result: 'delivered' | 'retry' | 'held' | 'interrupted'
  /** What the attempt proved about the link to QUBS (see classify-failure), null when nothing. */
  readonly connectivity: LinkState | null
}

export interface EntrySenderOptions {
  readonly ledger: DeliveryLedger
  readonly port: DeliveryPort
  readonly clock: Clock
  readonly policy: RetryPolicy
  readonly logger: Logger
  readonly probe?: DeliveryProbe
}

/** An earlier attempt older than this may be forgotten by the server (keys live 24 h): hold, don't resend. */
export const RESEND_SAFE_WINDOW_MS = 23 * 60 * 60 * 1000
/**
 * A cached upload URL (from an earlier send) closer than this to its expiry is not used again: the PUT
 * might not finish in time. A URL received in the same send is always tried: storage decides.
 */
const UPLOAD_URL_MARGIN_MS = 60_000
/** The documented lifetime of an upload URL. */
const UPLOAD_URL_TTL_MS = 15 * 60_000
/** Definitive refusals of fresh upload URLs before the attachment is held for a person. */
const MAX_UPLOAD_REJECTIONS = 3
/**
 * Upload URLs (each one an attachment record in QUBS) an entry may receive without its content ever
 * arriving, before it is held for a person instead of asking for yet another one.
 */
export const MAX_UPLOAD_URLS = 5
/**
 * Idempotency keys an entry may send upload-URL requests under (that QUBS may have seen) without its
 * content arriving. Each key QUBS saw may be one more attachment record; a key lives about 12 minutes,
 * so this holds an entry after roughly two hours of QUBS failing the request (5xx, timeouts).
 */
export const MAX_UPLOAD_KEYS = 10

interface CachedUploadUrl {
  readonly guid: string
  readonly uploadUrl: string
  /** On OUR clock: when we stop reusing it. */
  readonly usableUntil: number
}

export class EntrySender {
  readonly #options: Readonly<EntrySenderOptions>
  /** Upload URLs live in memory only: never stored across restarts, never used past their expiry. */
  readonly #uploadUrls = new Map<string, CachedUploadUrl>()

  constructor(options: Readonly<EntrySenderOptions>) {
    this.#options = options
  }

  async send(ticket: DeliveryTicket, signal: AbortSignal): Promise<SendOutcome> {
    const { ledger } = this.#options
    let payload: EntryPayload
    try {
      payload = ledger.loadPayload(ticket.id)
    } catch (error) {
      if (!(error instanceof OutboxError) || error.code !== 'unreadable') throw error
      ledger.markHeld(ticket.id, null, {
        reason: 'unreadable',
        detail: 'The stored content of this entry could not be decrypted or read back.',
        mayHaveCommitted: false,
        error: { code: 'unreadable', at: this.#options.clock.now() },
      })
      this.#probe('settled', ticket.id)
      return { result: 'held', connectivity: null }
    }
    if (payload.kind === 'report-attachment') return this.#sendAttachment(ticket, payload, signal)
    return this.#sendPost(ticket, payload, signal)
  }

  async #sendPost(ticket: DeliveryTicket, payload: EntryPayload, signal: AbortSignal): Promise<SendOutcome> {
    const { ledger, port, clock } = this.#options
    const since = ledger.uncertainSince(ticket.id)
    if (since !== null && clock.now() - since > RESEND_SAFE_WINDOW_MS) {
      const hours = Math.floor((clock.now() - since) / 3_600_000)
      ledger.markHeld(ticket.id, null, {
        reason: 'too-old',
        detail:
          `An earlier attempt started at ${new Date(since).toISOString()} (${hours} h ago) may already have ` +
          'reached QUBS, which keeps idempotency keys for 24 h only; resending now could apply it twice. ' +
          'Check the appointment in QUBS, then retry or export.',
        mayHaveCommitted: false,
        error: { code: 'too-old', at: clock.now() },
      })
      this.#probe('settled', ticket.id)
      return { result: 'held', connectivity: null }
    }
    // The `sending` mark and its attempt are fsync'd before the request leaves: they are the only
    // record that the key may have been used, which holds the entry `too-old` instead of resending it
    // once QUBS has forgotten the key (24 h). The delivered transition waits for its group's durable
    // commit (commit-group.ts): a crash that loses it leaves the entry `sending`, resent with the same key.
    const attemptId = ledger.beginAttempt(
      ticket.id,
      ticket.kind === 'report' ? 'report' : 'comment',
      ticket.idempotencyKey,
    )
    this.#probe('claimed', ticket.id)
    const request = { idempotencyKey: ticket.idempotencyKey, signal }
    let result: DeliveryResult
    try {
      if (payload.kind === 'report') {
        const answer = await port.submitReport(ticket.domain, ticket.appointmentId, payload.report, request)
        result = { reportGuid: ReportAnswerSchema.safeParse(answer).data?.reportGuid, ...unreadable(answer) }
      } else if (payload.kind === 'comment') {
        const answer = await port.createComment(ticket.domain, ticket.appointmentId, payload.comment, request)
        result = { commentGuid: CommentAnswerSchema.safeParse(answer).data?.guid, ...unreadable(answer) }
      } else {
        throw new Error('attachments are not posted as one request')
      }
    } catch (error) {
      return this.#settleFailure(ticket, attemptId, error, signal)
    }
    this.#probe('answered', ticket.id)
    await ledger.markDelivered(ticket.id, attemptId, result)
    this.#probe('settled', ticket.id)
    return { result: 'delivered', connectivity: 'online' }
  }

  async #sendAttachment(
    ticket: DeliveryTicket,
    payload: Extract<EntryPayload, { kind: 'report-attachment' }>,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    const { ledger, port, clock } = this.#options
    let url = this.#uploadUrls.get(ticket.id)
    if (url !== undefined && url.usableUntil - UPLOAD_URL_MARGIN_MS <= clock.now()) {
      this.#forgetUploadUrl(ticket.id, false)
      url = undefined
    }
    if (url === undefined) {
      const state = ledger.uploadState(ticket.id)
      if (state.guid !== null) {
        // A PUT for this GUID may have reached storage (its answer lost, or a crash before we recorded
        // it): ask QUBS before asking for another URL, or the content would be uploaded twice.
        const found = await this.#checkEarlierUpload(ticket, state.guid, payload.bytes, signal)
        if (found !== null) return found
      }
      // Another key would be one more attachment record QUBS may create without content: past either
      // bound, ask a person (the bytes stay in the outbox, exportable).
      if (state.reusableKey === null && state.renewals >= MAX_UPLOAD_URLS) {
        return this.#holdUploadBound(
          ticket.id,
          'upload-urls-exhausted',
          `QUBS issued ${state.renewals} upload URLs for this attachment but its content could not be ` +
            'uploaded to any of them. Check the connection to the upload storage, then retry or export.',
        )
      }
      if (state.reusableKey === null && state.keysSeen >= MAX_UPLOAD_KEYS) {
        return this.#holdUploadBound(
          ticket.id,
          'upload-keys-exhausted',
          `QUBS was asked for an upload URL under ${state.keysSeen} idempotency keys without the content ` +
            'being uploaded; each may have created an attachment record. Check the connection to QUBS ' +
            'and the appointment, then retry or export.',
        )
      }
      const { key, mintedAt: keyMintedAt } = ledger.ensureUploadKey(ticket.id)
      this.#probe('upload-key-stored', ticket.id)
      const attemptId = ledger.beginAttempt(ticket.id, 'upload-url', key)
      this.#probe('claimed', ticket.id)
      let answer: unknown
      try {
        answer = await port.createReportAttachmentUrls(
          ticket.domain,
          ticket.appointmentId,
          [{ fileName: payload.attachment.fileName, contentType: payload.attachment.contentType }],
          { idempotencyKey: key, signal },
        )
      } catch (error) {
        return this.#settleFailure(ticket, attemptId, error, signal)
      }
      const parsed = AttachmentUrlsAnswerSchema.safeParse(answer)
      const item = parsed.data?.items[0]
      if (item === undefined) {
        return this.#settleFailure(ticket, attemptId, new QubsError({ kind: 'invalid-response' }), signal)
      }
      url = {
        guid: item.guid,
        uploadUrl: item.uploadUrl,
        usableUntil: usableUntil(item.uploadUrlExpiresAtUtc, clock.now(), keyMintedAt),
      }
      ledger.recordUploadUrl(ticket.id, attemptId, item.guid)
      this.#probe('upload-url-received', ticket.id)
      // Received in this very send: it is PUT now whatever its expiry looks like on our clock (a clock
      // ahead of QUBS makes every URL look spent). If it really expired, storage says so with a 403.
      this.#uploadUrls.set(ticket.id, url)
    }
    const attemptId = ledger.beginAttempt(ticket.id, 'upload', null)
    this.#probe('claimed', ticket.id)
    try {
      const answer = await port.uploadReportAttachment({
        uploadUrl: url.uploadUrl,
        bytes: payload.bytes,
        contentType: payload.attachment.contentType,
        signal,
      })
      // Delivered on a 2xx PUT only: an answer that does not say so (a redirect the client let through,
      // a port that answers oddly) is an answer we could not read, retried like one.
      if (!UploadAnswerSchema.safeParse(answer).success) throw new QubsError({ kind: 'invalid-response' })
    } catch (error) {
      return this.#settleUploadFailure(ticket, attemptId, error, signal)
    }
    this.#probe('uploaded', ticket.id)
    this.#uploadUrls.delete(ticket.id)
    await ledger.markDelivered(ticket.id, attemptId, { attachmentGuid: url.guid }, 'at-once')
    this.#probe('settled', ticket.id)
    return { result: 'delivered', connectivity: 'online' }
  }

  /**
   * Finds out whether the content of an attachment we may already have uploaded is there: delivered
   * only when the bytes behind its URL equal ours (see upload-evidence); null (go on, ask for a URL)
   * when nothing or something else is there; a check that cannot complete settles the send (retry).
   */
  async #checkEarlierUpload(
    ticket: DeliveryTicket,
    guid: string,
    bytes: Uint8Array,
    signal: AbortSignal,
  ): Promise<SendOutcome | null> {
    const { ledger, port, logger } = this.#options
    const attemptId = ledger.beginAttempt(ticket.id, 'upload-check', null)
    this.#probe('claimed', ticket.id)
    let evidence: Awaited<ReturnType<typeof findUploadedContent>>
    try {
      const target = { domain: ticket.domain, appointmentId: ticket.appointmentId, guid }
      evidence = await findUploadedContent(port, target, bytes, signal)
    } catch (error) {
      return this.#settleFailure(ticket, attemptId, error, signal)
    }
    if (evidence !== 'same-content') {
      if (evidence === 'other-content') {
        logger.warn('content behind an earlier upload differs from the stored bytes', { entryId: ticket.id })
      }
      ledger.completeStep(attemptId, false)
      return null
    }
    this.#uploadUrls.delete(ticket.id)
    await ledger.markDelivered(ticket.id, attemptId, { attachmentGuid: guid }, 'at-once')
    this.#probe('settled', ticket.id)
    return { result: 'delivered', connectivity: 'online' }
  }

  /**
   * A PUT that failed: a definitive refusal (4xx other than 408/429) means the URL is spent or was
   * refused — ask for a new one under a new key; after repeated refusals (or 413, too large) hold it.
   * No answer or a 5xx keeps the URL (a second PUT to the same URL overwrites the same object) while it
   * is valid.
   */
  #settleUploadFailure(
    ticket: DeliveryTicket,
    attemptId: number,
    error: unknown,
    signal: AbortSignal,
  ): SendOutcome {
    const decision = classifyFailure(error, this.#options.clock.now(), signal.aborted)
    if (decision.action !== 'hold') return this.#settle(ticket, attemptId, decision)
    if (
      decision.earlierTryMayHaveCommitted ||
      this.#options.ledger.uploadToCurrentUrlMayHaveLanded(ticket.id, attemptId)
    ) {
      // Refused after a PUT whose answer was lost: storage may refuse a used URL precisely because the
      // content landed. Keep the attachment id so the next pass asks QUBS before uploading again.
      this.#forgetUploadUrl(ticket.id, false)
      this.#options.ledger.markRetry(ticket.id, attemptId, {
        delayMs: this.#options.policy.backoffMs(1),
        retryClass: 'server',
        mayHaveCommitted: true,
        error: decision.error,
      })
      this.#probe('settled', ticket.id)
      return { result: 'retry', connectivity: 'online' }
    }
    const rejections = this.#forgetUploadUrl(ticket.id, true)
    if (decision.error.status === 413 || rejections >= MAX_UPLOAD_REJECTIONS) {
      return this.#settle(ticket, attemptId, { ...decision, reason: 'upload-rejected' })
    }
    this.#options.ledger.markRetry(ticket.id, attemptId, {
      delayMs: this.#options.policy.backoffMs(rejections),
      retryClass: 'server',
      mayHaveCommitted: false,
      error: decision.error,
    })
    this.#probe('settled', ticket.id)
    return { result: 'retry', connectivity: 'online' }
  }

  #settleFailure(
    ticket: DeliveryTicket,
    attemptId: number,
    error: unknown,
    signal: AbortSignal,
  ): SendOutcome {
    return this.#settle(ticket, attemptId, classifyFailure(error, this.#options.clock.now(), signal.aborted))
  }

  #settle(ticket: DeliveryTicket, attemptId: number, decision: FailureDecision): SendOutcome {
    const { ledger, policy, logger } = this.#options
    if (decision.action === 'interrupted') {
      ledger.markInterrupted(attemptId, decision.mayHaveCommitted)
      logger.info('delivery interrupted by shutdown', { entryId: ticket.id })
      return { result: 'interrupted', connectivity: null }
    }
    const connectivity = decision.link
    if (decision.action === 'hold') {
      // A refusal after an earlier answer was lost does not prove the earlier try failed: QUBS may have
      // applied it and then (say) taken the appointment off the pending list. Tell the person.
      const maybeApplied =
        decision.earlierTryMayHaveCommitted ||
        ledger.uncertainSince(ticket.id, attemptId) !== null ||
        (ticket.kind === 'report-attachment' && ledger.uploadMayHaveLanded(ticket.id, attemptId))
      ledger.markHeld(ticket.id, attemptId, {
        reason: decision.reason,
        detail: holdDetail(decision, maybeApplied),
        mayHaveCommitted: false,
        error: decision.error,
      })
      this.#probe('settled', ticket.id)
      return { result: 'held', connectivity }
    }
    ledger.markRetry(ticket.id, attemptId, {
      delayMs: policy.delayMs(ticket.attempts + 1, decision.retryAfterMs),
      retryClass: decision.retryClass,
      mayHaveCommitted: decision.mayHaveCommitted,
      error: decision.error,
    })
    this.#probe('settled', ticket.id)
    return { result: 'retry', connectivity }
  }

  #holdUploadBound(entryId: string, code: string, detail: string): SendOutcome {
    this.#options.ledger.markHeld(entryId, null, {
      reason: 'upload-rejected',
      detail,
      mayHaveCommitted: false,
      error: { code, at: this.#options.clock.now() },
    })
    this.#probe('settled', entryId)
    return { result: 'held', connectivity: null }
  }

  /** Drops the cached URL and the stored key; returns the number of definitive refusals so far. */
  #forgetUploadUrl(entryId: string, rejected: boolean): number {
    this.#uploadUrls.delete(entryId)
    return this.#options.ledger.dropUploadKey(entryId, rejected)
  }

  #probe(point: Parameters<DeliveryProbe>[0], entryId: string): void {
    this.#options.probe?.(point, entryId)
  }
}

/** Marks a result whose answer QUBS sent unreadable (delivered all the same: it answered 2xx). */
function unreadable(answer: unknown): Pick<DeliveryResult, 'answerUnreadable'> {
  return isAnswerUnreadable(answer) ? { answerUnreadable: true } : {}
}

function holdDetail(decision: Extract<FailureDecision, { action: 'hold' }>, maybeApplied: boolean): string {
  const ids = [
    decision.error.status === undefined ? null : `status ${decision.error.status}`,
    decision.error.requestId ? `requestId ${decision.error.requestId}` : null,
    decision.error.correlationId ? `correlation id ${decision.error.correlationId}` : null,
  ]
    .filter((part) => part !== null)
    .join(', ')
  const why: Record<string, string> = {
    invalid: 'QUBS refused the content as invalid.',
    'not-pending': 'The appointment is no longer pending reporting in QUBS (or was not found).',
    conflict: 'QUBS already holds a different submission under this idempotency key.',
    forbidden: 'These credentials may not submit to this domain or site.',
    rejected: 'QUBS refused the submission.',
    'upload-rejected': 'The attachment upload was refused repeatedly (or the file is too large).',
  }
  const earlier = maybeApplied
    ? ' An earlier attempt whose answer was lost may already have been applied: check the appointment in QUBS before resending.'
    : ''
  return `${why[decision.reason] ?? 'QUBS refused the submission.'}${ids ? ` (${ids})` : ''}${earlier}`
}

/**
 * Until when (on our clock) an upload URL is reused. The URL was created after its key was minted, so
 * it lives at least the documented TTL from the minting — a bound measured on our clock alone, immune
 * to skew against QUBS's. The server's own expiry may shorten that (a shorter TTL), but only when it is
 * plausible: a URL that looks spent on arrival says our clock disagrees with QUBS's, not that it is.
 */
function usableUntil(
  expiresAtText: string | null | undefined,
  receivedAt: number,
  keyMintedAt: number,
): number {
  const documented = keyMintedAt + UPLOAD_URL_TTL_MS
  const expiresAt = parseServerTime(expiresAtText)
  if (expiresAt === null) return documented
  const remaining = expiresAt - receivedAt
  return remaining > UPLOAD_URL_MARGIN_MS ? Math.min(documented, receivedAt + remaining) : documented
}

/** A server time stamp: one without an offset is UTC (QUBS names them …Utc), never local time. */
export function parseServerTime(text: string | null | undefined): number | null {
  if (!text) return null
  const withOffset = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(text.trim()) ? text.trim() : `${text.trim()}Z`
  const at = Date.parse(withOffset)
  return Number.isFinite(at) ? at : null
}
