import type { Writable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { systemClock, systemRandom, type Clock, type Random } from '../../common/clock'
import { silentLogger, type Logger } from '../../common/logger'
import type { Vault } from '../vault/vault'
import type { AnswerUnreadable } from './applied-answer'
import type { DownloadMeta } from './attachment-download'
import {
  downloadAttachment,
  downloadAttachmentTo,
  getAttachment,
  listAttachments,
  type AttachmentUrlOptions,
  type DownloadAttachmentOptions,
  type DownloadedAttachment,
} from './attachment-operations'
import { createComment, getComment, listComments } from './comment-operations'
import { QubsError } from './errors'
import { HttpPipeline } from './http-pipeline'
import { OperationContext, type CallOptions, type PostOptions } from './operation-context'
import type { PendingPage } from './pending-walk'
import { transportToError } from './problem'
import { createReportAttachmentUrls, submitReport } from './report-operations'
import { uploadReportAttachment, type UploadReportAttachmentInput, type UploadResult } from './report-upload'
import type { OutcomeListener } from './request-outcome'
import { resolveRetryPolicy, type RetryPolicyOptions } from './retry-policy'
import type {
  Appointment,
  Attachment,
  Comment,
  ExamCode,
  PendingAppointment,
  ReportAttachmentUrls,
  ReportReceipt,
  Site,
  SiteSettings,
} from './schemas'
import { ConnectionSettingsSchema, issuesFromZod, type ConnectionSettings } from './settings'
import { getSite, listExamCodes, listSites } from './site-operations'
import { TokenManager } from './token-manager'
import { createDispatcher, resolveTimeouts, sleepReal, type Timeouts } from './transport'
import type { CommentInput, ReportAttachmentItem, ReportSubmissionInput } from './validation'
import {
  getAppointment,
  listPendingPage,
  walkPending,
  type PendingPageOptions,
  type WalkPendingOptions,
} from './worklist-operations'

export type {
  AttachmentUrlOptions,
  CallOptions,
  DownloadAttachmentOptions,
  DownloadedAttachment,
  PendingPageOptions,
  PostOptions,
  WalkPendingOptions,
}

/**
 * The one place the app talks to QUBS: typed operations for every endpoint of the reporting API, on top
 * of the request pipeline (tokens, correlation ids, retries, problem details) and the presigned-URL
 * helpers. Electron-free; every public method validates its input before sending and throws only
 * QubsError.
 *
 * This class is the facade: it owns the connection (settings, tokens, dispatcher) and its lifecycle, and
 * hands each operation to the module of its group (worklist, attachments, comments, reports, sites),
 * which share an OperationContext.
 */
export interface QubsClientOptions {
  readonly settings: ConnectionSettings
  readonly vault: Vault
  readonly clock?: Clock
  readonly random?: Random
  readonly logger?: Logger
  readonly retry?: Partial<RetryPolicyOptions>
  readonly timeouts?: Partial<Timeouts>
  /** An undici dispatcher to send through; the client then leaves its connect timeout to it and never closes it. */
  readonly dispatcher?: Dispatcher
  /** Refresh the access token this long before it expires (default 60 s). */
  readonly tokenRefreshSkewMs?: number
  /**
   * How long close() waits for its connections to finish what is in flight (after aborting every
   * operation) before it destroys them. Default 3 s.
   */
  readonly closeTimeoutMs?: number
}

export const DEFAULT_CLOSE_TIMEOUT_MS = 3_000

export interface ConnectionCheck {
  readonly ok: boolean
  readonly domains: readonly {
    readonly domain: string
    readonly ok: boolean
    readonly siteCount?: number
    readonly kind?: QubsError['kind']
    readonly status?: number | undefined
  }[]
}

export class QubsClient {
  readonly #settings: ConnectionSettings
  readonly #context: OperationContext
  readonly #tokens: TokenManager
  readonly #ownedDispatcher: Dispatcher | undefined
  readonly #closing = new AbortController()
  readonly #outcomeListeners = new Set<OutcomeListener>()
  readonly #closeTimeoutMs: number
  #closed: Promise<void> | undefined

  constructor(options: Readonly<QubsClientOptions>) {
    const parsed = ConnectionSettingsSchema.safeParse(options.settings)
    if (!parsed.success) throw new QubsError({ kind: 'validation', issues: issuesFromZod(parsed.error) })
    this.#settings = parsed.data
    const clock = options.clock ?? systemClock
    const random = options.random ?? systemRandom
    const logger = (options.logger ?? silentLogger).child('qubs-client')
    let timeouts: Timeouts
    let retry: RetryPolicyOptions
    try {
      timeouts = resolveTimeouts(options.timeouts)
      retry = resolveRetryPolicy(options.retry, { clock, random })
    } catch (cause) {
      throw new QubsError({
        kind: 'validation',
        issues: { options: ['timeouts or retry policy out of range'] },
        cause,
      })
    }
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS
    this.#ownedDispatcher = options.dispatcher ? undefined : createDispatcher(timeouts)
    const dispatcher = options.dispatcher ?? (this.#ownedDispatcher as Dispatcher)
    this.#tokens = new TokenManager({
      settings: this.#settings,
      vault: options.vault,
      dispatcher,
      clock,
      logger,
      timeouts,
      ...(options.tokenRefreshSkewMs !== undefined ? { refreshSkewMs: options.tokenRefreshSkewMs } : {}),
    })
    const pipeline = new HttpPipeline({
      settings: this.#settings,
      tokens: this.#tokens,
      dispatcher,
      clock,
      random,
      logger,
      retry,
      timeouts,
      closing: this.#closing.signal,
      onOutcome: (outcome) => {
        for (const listener of this.#outcomeListeners) listener(outcome)
      },
    })
    this.#context = new OperationContext({
      pipeline,
      domains: this.#settings.domains,
      logger,
      isClosed: () => this.#closed !== undefined,
    })
  }

  /** The configured domains (settings carry no secret, so this is safe to show). */
  get domains(): readonly string[] {
    return this.#settings.domains
  }

  /**
   * Calls `listener` with the outcome of every operation with QUBS (not presigned storage URLs), so
   * connectivity is judged from worklist reads as much as from deliveries. Returns the unsubscribe.
   */
  onOutcome(listener: OutcomeListener): () => void {
    this.#outcomeListeners.add(listener)
    return () => this.#outcomeListeners.delete(listener)
  }

  /** Token grant counters, for diagnostics. */
  get tokenStats(): TokenManager['stats'] {
    return this.#tokens.stats
  }

  // ---- worklist -------------------------------------------------------------------------------

  /** One page of the pending list. `nextToken` undefined in the answer means this was the last page. */
  async listPendingPage(domain: string, options: Readonly<PendingPageOptions> = {}): Promise<PendingPage> {
    return listPendingPage(this.#context, domain, options)
  }

  /**
   * Every pending appointment of the given (default: all configured) domains, de-duplicated by
   * (domain, appointmentId), each carrying its `domain`. Order is whatever the server gave; sort on use.
   */
  async walkPending(options: Readonly<WalkPendingOptions> = {}): Promise<PendingAppointment[]> {
    return walkPending(this.#context, options)
  }

  async getAppointment(
    domain: string,
    appointmentId: string,
    options: Readonly<CallOptions> = {},
  ): Promise<Appointment> {
    return getAppointment(this.#context, domain, appointmentId, options)
  }

  // ---- attachments ----------------------------------------------------------------------------

  async listAttachments(
    domain: string,
    appointmentId: string,
    options: Readonly<AttachmentUrlOptions> = {},
  ): Promise<Attachment[]> {
    return listAttachments(this.#context, domain, appointmentId, options)
  }

  async getAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: Readonly<AttachmentUrlOptions> = {},
  ): Promise<Attachment> {
    return getAttachment(this.#context, domain, appointmentId, attachmentGuid, options)
  }

  /** The attachment's bytes, from its presigned URL (fetched fresh via get-attachment unless given). */
  async downloadAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: Readonly<DownloadAttachmentOptions> = {},
  ): Promise<DownloadedAttachment> {
    return downloadAttachment(this.#context, domain, appointmentId, attachmentGuid, options)
  }

  /** Like downloadAttachment, streaming into `destination` (ended on success, left open on failure). */
  async downloadAttachmentTo(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    destination: Writable,
    options: Readonly<DownloadAttachmentOptions> = {},
  ): Promise<DownloadMeta> {
    return downloadAttachmentTo(this.#context, domain, appointmentId, attachmentGuid, destination, options)
  }

  // ---- comments -------------------------------------------------------------------------------

  async listComments(
    domain: string,
    appointmentId: string,
    options: Readonly<CallOptions> = {},
  ): Promise<Comment[]> {
    return listComments(this.#context, domain, appointmentId, options)
  }

  async getComment(
    domain: string,
    appointmentId: string,
    commentGuid: string,
    options: Readonly<CallOptions> = {},
  ): Promise<Comment> {
    return getComment(this.#context, domain, appointmentId, commentGuid, options)
  }

  async createComment(
    domain: string,
    appointmentId: string,
    input: CommentInput,
    options: Readonly<PostOptions>,
  ): Promise<Comment | AnswerUnreadable> {
    return createComment(this.#context, domain, appointmentId, input, options)
  }

  // ---- reports --------------------------------------------------------------------------------

  /**
   * Submits (or overwrites) the appointment's report. Status is sent lower-case. Resolves to the
   * receipt, or to AnswerUnreadable when QUBS applied it (2xx) but its answer could not be read.
   */
  async submitReport(
    domain: string,
    appointmentId: string,
    input: ReportSubmissionInput,
    options: Readonly<PostOptions>,
  ): Promise<ReportReceipt | AnswerUnreadable> {
    return submitReport(this.#context, domain, appointmentId, input, options)
  }

  /** Creates attachment metadata and presigned upload URLs (≤ 20 items; the key lives 15 minutes). */
  async createReportAttachmentUrls(
    domain: string,
    appointmentId: string,
    items: readonly ReportAttachmentItem[],
    options: Readonly<PostOptions>,
  ): Promise<ReportAttachmentUrls> {
    return createReportAttachmentUrls(this.#context, domain, appointmentId, items, options)
  }

  /** PUTs the bytes to an upload URL from createReportAttachmentUrls (no Authorization header). */
  async uploadReportAttachment(input: Readonly<UploadReportAttachmentInput>): Promise<UploadResult> {
    return this.#context.guard(() => uploadReportAttachment(this.#context.pipeline, input))
  }

  // ---- sites ----------------------------------------------------------------------------------

  async listSites(domain: string, options: Readonly<CallOptions> = {}): Promise<Site[]> {
    return listSites(this.#context, domain, options)
  }

  async getSite(
    domain: string,
    siteName: string,
    options: Readonly<CallOptions> = {},
  ): Promise<SiteSettings> {
    return getSite(this.#context, domain, siteName, options)
  }

  async listExamCodes(
    domain: string,
    siteName: string,
    options: Readonly<CallOptions> = {},
  ): Promise<ExamCode[]> {
    return listExamCodes(this.#context, domain, siteName, options)
  }

  // ---- connection -----------------------------------------------------------------------------

  /**
   * Gets a token (throws QubsError 'auth' for bad credentials) and lists each configured domain's sites,
   * the cheapest call without PHI, reporting per domain whether it is reachable and allowed.
   */
  async checkConnection(options: Readonly<CallOptions> = {}): Promise<ConnectionCheck> {
    return this.#context.guard(async () => {
      try {
        await this.#tokens.getAccessToken(options.signal)
      } catch (error) {
        // Not an operation of the pipeline, yet the most telling outcome of all for connectivity.
        const failure = transportToError(error, undefined, options.signal)
        for (const listener of this.#outcomeListeners) listener({ ok: false, error: failure })
        throw failure
      }
      const domains = await Promise.all(
        this.#settings.domains.map(async (domain) => {
          try {
            const sites = await this.listSites(domain, options)
            return { domain, ok: true, siteCount: sites.length }
          } catch (error) {
            const failure = transportToError(error, undefined, options.signal)
            if (failure.kind === 'aborted') throw failure
            return { domain, ok: false, kind: failure.kind, status: failure.status }
          }
        }),
      )
      return { ok: domains.every((entry) => entry.ok), domains }
    })
  }

  /**
   * Ends every operation in flight (they fail with kind 'aborted'), then closes the connections the
   * client opened, waiting at most `closeTimeoutMs` before destroying them: a server that never
   * answers must not keep the process alive. Later calls fail with kind 'aborted'.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close()
    return this.#closed
  }

  async #close(): Promise<void> {
    this.#closing.abort(new QubsError({ kind: 'aborted', title: 'Client closed' }))
    this.#tokens.close()
    const dispatcher = this.#ownedDispatcher
    if (!dispatcher) return
    const timer = new AbortController()
    const closedInTime = await Promise.race([
      dispatcher.close().then(
        () => true,
        () => false,
      ),
      sleepReal(this.#closeTimeoutMs, timer.signal).then(() => false),
    ])
    timer.abort()
    if (!closedInTime) await dispatcher.destroy().catch(() => undefined)
  }
}
