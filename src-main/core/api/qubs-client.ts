import type { Writable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { systemClock, systemRandom, type Clock, type Random } from '../../common/clock'
import { silentLogger, type Logger } from '../../common/logger'
import type { Vault } from '../vault/vault'
import {
  downloadToBuffer,
  downloadToWritable,
  type DownloadDeps,
  type DownloadMeta,
  type DownloadOptions,
} from './attachment-download'
import { QubsError } from './errors'
import { HttpPipeline, type ApiRequest } from './http-pipeline'
import { walkPendingPages, type PendingPage } from './pending-walk'
import { transportToError } from './problem'
import { uploadReportAttachment, type UploadReportAttachmentInput, type UploadResult } from './report-upload'
import { resolveRetryPolicy, type RetryPolicyOptions } from './retry-policy'
import {
  AppointmentSchema,
  AttachmentListSchema,
  AttachmentSchema,
  CommentListSchema,
  CommentSchema,
  ExamCodeListSchema,
  PendingPageSchema,
  ReportAttachmentUrlsSchema,
  ReportReceiptSchema,
  SiteListSchema,
  SiteSettingsSchema,
  type Appointment,
  type Attachment,
  type Comment,
  type ExamCode,
  type PendingAppointment,
  type ReportAttachmentUrls,
  type ReportReceipt,
  type Site,
  type SiteSettings,
} from './schemas'
import { ConnectionSettingsSchema, issuesFromZod, type ConnectionSettings } from './settings'
import { TokenManager } from './token-manager'
import { createDispatcher, resolveTimeouts, type Timeouts } from './transport'
import {
  CommentInputSchema,
  DispositionSchema,
  IdempotencyKeySchema,
  NextTokenSchema,
  PageSizeSchema,
  PathIdSchema,
  ReportAttachmentItemsSchema,
  ReportSubmissionSchema,
  UrlTtlSecondsSchema,
  validateInput,
  type CommentInput,
  type ReportAttachmentItem,
  type ReportSubmissionInput,
} from './validation'

/**
 * The one place the app talks to QUBS: typed operations for every endpoint of the reporting API, on top
 * of the request pipeline (tokens, correlation ids, retries, problem details) and the presigned-URL
 * helpers. Electron-free; every public method validates its input before sending and throws only
 * QubsError.
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
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined
}

export interface PostOptions extends CallOptions {
  /** Minted once per payload by the caller and reused for every resend of it. */
  readonly idempotencyKey: string
}

export interface PendingPageOptions extends CallOptions {
  readonly pageSize?: number | undefined
  readonly nextToken?: string | undefined
}

export interface WalkPendingOptions extends CallOptions {
  /** Defaults to every configured domain. */
  readonly domains?: readonly string[] | undefined
  readonly pageSize?: number | undefined
}

export interface AttachmentUrlOptions extends CallOptions {
  /** Presigned URL lifetime; the server clamps values outside its range. */
  readonly urlTtlSeconds?: number | undefined
  readonly disposition?: 'inline' | 'attachment' | undefined
}

export interface DownloadAttachmentOptions extends AttachmentUrlOptions {
  readonly maxBytes?: number | undefined
  /** Metadata already at hand; its URL is used first when it has not expired. */
  readonly attachment?: Attachment | undefined
}

export interface DownloadedAttachment extends DownloadMeta {
  readonly bytes: Buffer
}

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

const APPOINTMENTS = '/{domain}/reporting/appointments'

export class QubsClient {
  readonly #settings: ConnectionSettings
  readonly #pipeline: HttpPipeline
  readonly #tokens: TokenManager
  readonly #ownedDispatcher: Dispatcher | undefined
  readonly #log: Logger
  #closed = false

  constructor(options: Readonly<QubsClientOptions>) {
    const parsed = ConnectionSettingsSchema.safeParse(options.settings)
    if (!parsed.success) throw new QubsError({ kind: 'validation', issues: issuesFromZod(parsed.error) })
    this.#settings = parsed.data
    const clock = options.clock ?? systemClock
    const random = options.random ?? systemRandom
    const logger = (options.logger ?? silentLogger).child('qubs-client')
    this.#log = logger
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
    this.#pipeline = new HttpPipeline({
      settings: this.#settings,
      tokens: this.#tokens,
      dispatcher,
      clock,
      random,
      logger,
      retry,
      timeouts,
    })
  }

  /** The configured domains (settings carry no secret, so this is safe to show). */
  get domains(): readonly string[] {
    return this.#settings.domains
  }

  /** Token grant counters, for diagnostics. */
  get tokenStats(): TokenManager['stats'] {
    return this.#tokens.stats
  }

  // ---- worklist -------------------------------------------------------------------------------

  /** One page of the pending list. `nextToken` undefined in the answer means this was the last page. */
  async listPendingPage(domain: string, options: Readonly<PendingPageOptions> = {}): Promise<PendingPage> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const pageSize =
        options.pageSize === undefined
          ? undefined
          : validateInput(PageSizeSchema, options.pageSize, 'pageSize')
      const nextToken =
        options.nextToken === undefined || options.nextToken === ''
          ? undefined
          : validateInput(NextTokenSchema, options.nextToken, 'nextToken')
      const { data } = await this.#get({
        route: `${APPOINTMENTS}/pending`,
        path: `/${enc(d)}/reporting/appointments/pending`,
        query: { pageSize, nextToken },
        schema: PendingPageSchema,
        signal: options.signal,
      })
      return {
        items: data.items.map((item) => withDomain(item, d)),
        nextToken: data.nextToken ? data.nextToken : undefined,
      }
    })
  }

  /**
   * Every pending appointment of the given (default: all configured) domains, de-duplicated by
   * (domain, appointmentId), each carrying its `domain`. Order is whatever the server gave; sort on use.
   */
  async walkPending(options: Readonly<WalkPendingOptions> = {}): Promise<PendingAppointment[]> {
    return this.#guard(async () => {
      const domains = (options.domains ?? this.#settings.domains).map((domain) => this.#domain(domain))
      const result = await walkPendingPages(
        (domain, pageOptions) => this.listPendingPage(domain, pageOptions),
        {
          domains: [...new Set(domains)],
          pageSize: options.pageSize,
          signal: options.signal,
          logger: this.#log,
        },
      )
      return result.items
    })
  }

  async getAppointment(
    domain: string,
    appointmentId: string,
    options: Readonly<CallOptions> = {},
  ): Promise<Appointment> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: `${APPOINTMENTS}/{appointmentId}`,
        path: appointmentPath(d, this.#id('appointmentId', appointmentId)),
        schema: AppointmentSchema,
        signal: options.signal,
      })
      return withDomain(data, d)
    })
  }

  // ---- attachments ----------------------------------------------------------------------------

  async listAttachments(
    domain: string,
    appointmentId: string,
    options: Readonly<AttachmentUrlOptions> = {},
  ): Promise<Attachment[]> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: `${APPOINTMENTS}/{appointmentId}/attachments`,
        path: `${appointmentPath(d, this.#id('appointmentId', appointmentId))}/attachments`,
        query: this.#urlQuery(options),
        schema: AttachmentListSchema,
        signal: options.signal,
      })
      return data
    })
  }

  async getAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: Readonly<AttachmentUrlOptions> = {},
  ): Promise<Attachment> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: `${APPOINTMENTS}/{appointmentId}/attachments/{attachmentGuid}`,
        path: `${appointmentPath(d, this.#id('appointmentId', appointmentId))}/attachments/${enc(this.#id('attachmentGuid', attachmentGuid))}`,
        query: this.#urlQuery(options),
        schema: AttachmentSchema,
        signal: options.signal,
      })
      return data
    })
  }

  /** The attachment's bytes, from its presigned URL (fetched fresh via get-attachment unless given). */
  async downloadAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: Readonly<DownloadAttachmentOptions> = {},
  ): Promise<DownloadedAttachment> {
    return this.#guard(() =>
      downloadToBuffer(
        this.#downloadDeps(domain, appointmentId, attachmentGuid, options),
        this.#downloadOptions(options),
      ),
    )
  }

  /** Like downloadAttachment, streaming into `destination` (ended on success, left open on failure). */
  async downloadAttachmentTo(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    destination: Writable,
    options: Readonly<DownloadAttachmentOptions> = {},
  ): Promise<DownloadMeta> {
    return this.#guard(() =>
      downloadToWritable(
        this.#downloadDeps(domain, appointmentId, attachmentGuid, options),
        destination,
        this.#downloadOptions(options),
      ),
    )
  }

  // ---- comments -------------------------------------------------------------------------------

  async listComments(
    domain: string,
    appointmentId: string,
    options: Readonly<CallOptions> = {},
  ): Promise<Comment[]> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: `${APPOINTMENTS}/{appointmentId}/comments`,
        path: `${appointmentPath(d, this.#id('appointmentId', appointmentId))}/comments`,
        schema: CommentListSchema,
        signal: options.signal,
      })
      return data
    })
  }

  async getComment(
    domain: string,
    appointmentId: string,
    commentGuid: string,
    options: Readonly<CallOptions> = {},
  ): Promise<Comment> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: `${APPOINTMENTS}/{appointmentId}/comments/{commentGuid}`,
        path: `${appointmentPath(d, this.#id('appointmentId', appointmentId))}/comments/${enc(this.#id('commentGuid', commentGuid))}`,
        schema: CommentSchema,
        signal: options.signal,
      })
      return data
    })
  }

  async createComment(
    domain: string,
    appointmentId: string,
    input: CommentInput,
    options: Readonly<PostOptions>,
  ): Promise<Comment> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const id = this.#id('appointmentId', appointmentId)
      const body = validateInput(CommentInputSchema, input)
      const { data } = await this.#post({
        route: `${APPOINTMENTS}/{appointmentId}/comments`,
        path: `${appointmentPath(d, id)}/comments`,
        body,
        idempotencyKey: this.#key(options),
        schema: CommentSchema,
        signal: options.signal,
      })
      return data
    })
  }

  // ---- reports --------------------------------------------------------------------------------

  /** Submits (or overwrites) the appointment's report. Status is sent lower-case. */
  async submitReport(
    domain: string,
    appointmentId: string,
    input: ReportSubmissionInput,
    options: Readonly<PostOptions>,
  ): Promise<ReportReceipt> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const id = this.#id('appointmentId', appointmentId)
      const body = validateInput(ReportSubmissionSchema, input)
      const { data } = await this.#post({
        route: `${APPOINTMENTS}/{appointmentId}/report`,
        path: `${appointmentPath(d, id)}/report`,
        body,
        idempotencyKey: this.#key(options),
        schema: ReportReceiptSchema,
        signal: options.signal,
      })
      return data
    })
  }

  /** Creates attachment metadata and presigned upload URLs (≤ 20 items; the key lives 15 minutes). */
  async createReportAttachmentUrls(
    domain: string,
    appointmentId: string,
    items: readonly ReportAttachmentItem[],
    options: Readonly<PostOptions>,
  ): Promise<ReportAttachmentUrls> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const id = this.#id('appointmentId', appointmentId)
      const validItems = validateInput(ReportAttachmentItemsSchema, items, 'items')
      const { data } = await this.#post({
        route: `${APPOINTMENTS}/{appointmentId}/report/attachments`,
        path: `${appointmentPath(d, id)}/report/attachments`,
        body: { items: validItems },
        idempotencyKey: this.#key(options),
        schema: ReportAttachmentUrlsSchema,
        signal: options.signal,
      })
      return data
    })
  }

  /** PUTs the bytes to an upload URL from createReportAttachmentUrls (no Authorization header). */
  async uploadReportAttachment(input: Readonly<UploadReportAttachmentInput>): Promise<UploadResult> {
    return this.#guard(() => uploadReportAttachment(this.#pipeline, input))
  }

  // ---- sites ----------------------------------------------------------------------------------

  async listSites(domain: string, options: Readonly<CallOptions> = {}): Promise<Site[]> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: '/{domain}/sites',
        path: `/${enc(d)}/sites`,
        schema: SiteListSchema,
        signal: options.signal,
      })
      return data
    })
  }

  async getSite(
    domain: string,
    siteName: string,
    options: Readonly<CallOptions> = {},
  ): Promise<SiteSettings> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: '/{domain}/sites/{siteName}',
        path: `/${enc(d)}/sites/${enc(this.#id('siteName', siteName))}`,
        schema: SiteSettingsSchema,
        signal: options.signal,
      })
      return data
    })
  }

  async listExamCodes(
    domain: string,
    siteName: string,
    options: Readonly<CallOptions> = {},
  ): Promise<ExamCode[]> {
    return this.#guard(async () => {
      const d = this.#domain(domain)
      const { data } = await this.#get({
        route: '/{domain}/sites/{siteName}/exam-codes',
        path: `/${enc(d)}/sites/${enc(this.#id('siteName', siteName))}/exam-codes`,
        schema: ExamCodeListSchema,
        signal: options.signal,
      })
      return data
    })
  }

  // ---- connection -----------------------------------------------------------------------------

  /**
   * Gets a token (throws QubsError 'auth' for bad credentials) and lists each configured domain's sites,
   * the cheapest call without PHI, reporting per domain whether it is reachable and allowed.
   */
  async checkConnection(options: Readonly<CallOptions> = {}): Promise<ConnectionCheck> {
    return this.#guard(async () => {
      await this.#tokens.getAccessToken(options.signal)
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

  /** Closes the connections the client opened. Later calls fail with kind 'aborted'. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#tokens.clear()
    await this.#ownedDispatcher?.close()
  }

  // ---- helpers --------------------------------------------------------------------------------

  #get<T>(spec: Omit<ApiRequest<T>, 'method'>) {
    return this.#pipeline.requestJson({ ...spec, method: 'GET' })
  }

  #post<T>(spec: Omit<ApiRequest<T>, 'method'>) {
    return this.#pipeline.requestJson({ ...spec, method: 'POST' })
  }

  /** Runs an operation so that whatever escapes is a QubsError. */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new QubsError({ kind: 'aborted', title: 'Client closed' })
    try {
      return await operation()
    } catch (error) {
      throw transportToError(error, undefined)
    }
  }

  #domain(domain: string): string {
    if (!this.#settings.domains.includes(domain)) {
      throw new QubsError({
        kind: 'validation',
        issues: { domain: ['domain is not one of the configured domains'] },
      })
    }
    return domain
  }

  #id(what: string, value: string): string {
    return validateInput(PathIdSchema(what), value, what)
  }

  #key(options: Readonly<PostOptions> | undefined): string {
    return validateInput(IdempotencyKeySchema, options?.idempotencyKey, 'idempotencyKey')
  }

  #urlQuery(options: Readonly<AttachmentUrlOptions>): Record<string, string | number | undefined> {
    return {
      urlTtlSeconds:
        options.urlTtlSeconds === undefined
          ? undefined
          : validateInput(UrlTtlSecondsSchema, options.urlTtlSeconds, 'urlTtlSeconds'),
      disposition:
        options.disposition === undefined
          ? undefined
          : validateInput(DispositionSchema, options.disposition, 'disposition'),
    }
  }

  #downloadDeps(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: Readonly<DownloadAttachmentOptions>,
  ): DownloadDeps {
    this.#domain(domain)
    this.#id('appointmentId', appointmentId)
    this.#id('attachmentGuid', attachmentGuid)
    return {
      pipeline: this.#pipeline,
      logger: this.#log,
      resolveAttachment: (signal) =>
        this.getAttachment(domain, appointmentId, attachmentGuid, {
          urlTtlSeconds: options.urlTtlSeconds,
          disposition: options.disposition,
          signal,
        }),
    }
  }

  #downloadOptions(options: Readonly<DownloadAttachmentOptions>): DownloadOptions {
    return { maxBytes: options.maxBytes, signal: options.signal, attachment: options.attachment }
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment)
}

function appointmentPath(domain: string, appointmentId: string): string {
  return `/${enc(domain)}/reporting/appointments/${enc(appointmentId)}`
}

function withDomain<T extends { domain?: string | undefined }>(
  item: T,
  domain: string,
): T & { domain: string } {
  // An item without its domain (or with an empty one) belongs to the domain we asked.
  return { ...item, domain: item.domain || domain }
}
