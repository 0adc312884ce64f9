import type { Clock } from '../../common/clock'
import type { Logger } from '../../common/logger'
import { QubsError } from '../api/errors'
import { classifyFailure, type FailureDecision } from './classify-failure'
import { OutboxError } from './context'
import type { DeliveryLedger, DeliveryTicket } from './delivery-ledger'
import {
  AttachmentUrlsAnswerSchema,
  CommentAnswerSchema,
  ReportAnswerSchema,
  type DeliveryPort,
} from './delivery-port'
import type { RetryPolicy } from './retry-policy'
import type { DeliveryResult, EntryPayload } from './schemas'

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
  /** `online` when the server answered, `offline` when nothing came back, null when unknown. */
  readonly connectivity: 'online' | 'offline' | null
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
/** An upload URL closer than this to its expiry is not used: the PUT might not finish in time. */
const UPLOAD_URL_MARGIN_MS = 60_000
/** Definitive refusals of fresh upload URLs before the attachment is held for a person. */
const MAX_UPLOAD_REJECTIONS = 3

interface CachedUploadUrl {
  readonly guid: string
  readonly uploadUrl: string
  readonly expiresAt: number
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
        result = { reportGuid: ReportAnswerSchema.safeParse(answer).data?.reportGuid }
      } else if (payload.kind === 'comment') {
        const answer = await port.createComment(ticket.domain, ticket.appointmentId, payload.comment, request)
        result = { commentGuid: CommentAnswerSchema.safeParse(answer).data?.guid }
      } else {
        throw new Error('attachments are not posted as one request')
      }
    } catch (error) {
      return this.#settleFailure(ticket, attemptId, error, signal)
    }
    this.#probe('answered', ticket.id)
    ledger.markDelivered(ticket.id, attemptId, result)
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
    if (url !== undefined && url.expiresAt - UPLOAD_URL_MARGIN_MS <= clock.now()) {
      this.#forgetUploadUrl(ticket.id, false)
      url = undefined
    }
    if (url === undefined) {
      const key = ledger.ensureUploadKey(ticket.id)
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
      const expiresAt = item.uploadUrlExpiresAtUtc ? Date.parse(item.uploadUrlExpiresAtUtc) : Number.NaN
      // Without a readable expiry assume the documented 15 minutes from the key's minting (conservative).
      url = {
        guid: item.guid,
        uploadUrl: item.uploadUrl,
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : clock.now() + 10 * 60_000,
      }
      ledger.completeStep(attemptId)
      this.#probe('upload-url-received', ticket.id)
      if (url.expiresAt - UPLOAD_URL_MARGIN_MS <= clock.now()) {
        // A replay of an old key handed back an URL about to expire: ask again under a new key.
        this.#forgetUploadUrl(ticket.id, false)
        ledger.markRetry(ticket.id, null, { delayMs: 0, retryClass: 'server', mayHaveCommitted: true })
        return { result: 'retry', connectivity: 'online' }
      }
      this.#uploadUrls.set(ticket.id, url)
    }
    const attemptId = ledger.beginAttempt(ticket.id, 'upload', null)
    this.#probe('claimed', ticket.id)
    try {
      await port.uploadReportAttachment({
        uploadUrl: url.uploadUrl,
        bytes: payload.bytes,
        contentType: payload.attachment.contentType,
        signal,
      })
    } catch (error) {
      return this.#settleUploadFailure(ticket, attemptId, error, signal)
    }
    this.#probe('uploaded', ticket.id)
    this.#uploadUrls.delete(ticket.id)
    ledger.markDelivered(ticket.id, attemptId, { attachmentGuid: url.guid })
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
      ledger.markInterrupted(attemptId)
      logger.info('delivery interrupted by shutdown', { entryId: ticket.id })
      return { result: 'interrupted', connectivity: null }
    }
    const connectivity = decision.reachedServer ? 'online' : 'offline'
    if (decision.action === 'hold') {
      // A refusal after an earlier answer was lost does not prove the earlier try failed: QUBS may have
      // applied it and then (say) taken the appointment off the pending list. Tell the person.
      const maybeApplied = ledger.uncertainSince(ticket.id, attemptId) !== null
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

  /** Drops the cached URL and the stored key; returns the number of definitive refusals so far. */
  #forgetUploadUrl(entryId: string, rejected: boolean): number {
    this.#uploadUrls.delete(entryId)
    return this.#options.ledger.dropUploadKey(entryId, rejected)
  }

  #probe(point: Parameters<DeliveryProbe>[0], entryId: string): void {
    this.#options.probe?.(point, entryId)
  }
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
