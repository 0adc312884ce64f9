/**
 * The sandbox's programmatic interface. Other engineers code against these shapes (tests of the core,
 * the browser harness, demo mode), so they change only by extension.
 */
import type { Logger } from '../common/logger'

export interface SandboxOptions {
  /** Interface to listen on; default '127.0.0.1'. */
  readonly host?: string
  /** Port; default 0 (ephemeral). */
  readonly port?: number
  /** Appointments generated per domain (10 to 50 000); default 200. */
  readonly appointments?: number
  /** Seed of the data generator; default 1. */
  readonly seed?: number
  /** Domains served; default ['demo']. The token's claims carry all of them. */
  readonly domains?: readonly string[]
  readonly clientId?: string
  readonly clientSecret?: string
  /** Default 3600 (60 minutes, as documented). */
  readonly accessTokenTtlSeconds?: number
  /** Default 432000 (5 days, as documented). */
  readonly refreshTokenTtlSeconds?: number
  /** Whether client credentials also return a refresh token; default true. */
  readonly issueRefreshToken?: boolean
  /** Random faults from the start; default none. */
  readonly faults?: FaultSettings
  /** Mount the /__admin routes; default true. The in-process `admin` handle always works. */
  readonly admin?: boolean
  /** The clock; admin 'advance' adds an offset on top of it. Default Date.now. */
  readonly now?: () => number
  /** How the last page of a cursor walk says "no more": nextToken '' or no nextToken; default 'empty'. */
  readonly lastPageNextToken?: 'empty' | 'omit'
  /** Where the sandbox logs (ids, routes, statuses only); default silent. */
  readonly logger?: Logger
  /**
   * Behaviours the documents leave open, for testing clients against a stricter QUBS. Defaults: a known
   * key is replayed before the appointment's status is checked; a final report leaves it pending.
   */
  readonly strictness?: Readonly<{
    /** Check PENDING REPORTING (404) before replaying a known idempotency key. */
    statusBeforeReplay?: boolean
    /** A final report takes the appointment off the pending list (status AUTHORISED). */
    finalReportLeavesPending?: boolean
    /** An upload URL takes one successful PUT; any later PUT to it is 403 (default: same bytes are 200). */
    singleUsePutUrls?: boolean
    /**
     * A report attachment's `url` is presigned as soon as its metadata exists, before any PUT; the URL
     * answers 404 until the content has landed (as object storage answers a presigned GET of a missing
     * object). Default off: a null url until the upload succeeded.
     */
    presignBeforeContent?: boolean
  }>
}

export interface RunningSandbox {
  /** 'http://127.0.0.1:PORT' */
  readonly baseUrl: string
  /** `${baseUrl}/oauth2/token` */
  readonly tokenUrl: string
  /** Same as baseUrl; clients append '/integrations/v1'. */
  readonly apiBaseUrl: string
  readonly domains: readonly string[]
  readonly clientId: string
  readonly clientSecret: string
  /** In-process handle with the same powers as /__admin. */
  readonly admin: SandboxAdmin
  /** Closes the server and destroys open sockets (hung ones included). */
  close(): Promise<void>
}

export const FAULT_KINDS = [
  'latency',
  '429-seconds',
  '429-date',
  '500',
  '502',
  '503',
  '504',
  'reset',
  'hang',
  'commit-then-drop',
] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

export interface FaultSettings {
  /** 0..1 probability that a request gets a random fault (default 0). */
  readonly rate?: number
  /** PRNG seed deciding which requests get which fault (default 1). */
  readonly seed?: number
  /** Kinds drawn from when the rate hits (default all). */
  readonly kinds?: readonly FaultKind[]
  /** Min/max extra latency for 'latency' (default [20, 200]). */
  readonly latencyMs?: readonly [number, number]
  /** Retry-After for 429 and 503 (default 1). */
  readonly retryAfterSeconds?: number
}

export interface ScriptedFault {
  readonly kind: FaultKind
  /** e.g. 'POST'; any method when omitted. */
  readonly method?: string
  /** Regex source matched against the URL path; any path when omitted. */
  readonly path?: string
  /** How many matching requests get it (default 1). */
  readonly count?: number
  readonly latencyMs?: number
  readonly retryAfterSeconds?: number
}

export type EffectKind = 'report' | 'comment' | 'report-attachment' | 'upload'

export interface Effect {
  readonly seq: number
  readonly kind: EffectKind
  readonly domain: string
  readonly appointmentId: string
  readonly idempotencyKey: string | null
  /** sha256 (hex) of the request body bytes as received (for 'upload': of the uploaded bytes). */
  readonly payloadSha256: string
  readonly reportStatus?: 'preliminary' | 'final'
  /** The report, comment or attachment guid the effect created. */
  readonly guid?: string
  /** ISO date-time on the sandbox clock. */
  readonly at: string
}

export interface SandboxStats {
  /** Requests per route template, e.g. 'GET /integrations/v1/{domain}/sites'. */
  requests: Record<string, number>
  /** Injected faults per kind. */
  faults: Record<string, number>
}

export interface SandboxAdmin {
  setFaults(settings: FaultSettings): void
  injectNext(fault: ScriptedFault): void
  clearFaults(): void
  effects(): readonly Effect[]
  setAppointmentStatus(domain: string, appointmentId: string, status: string): void
  advanceClock(ms: number): void
  stats(): SandboxStats
  /** Some pending appointment ids of a domain, for tests that need a valid target. */
  pendingAppointmentIds(domain: string, limit?: number): string[]
  /** The text of the last report QUBS stored for the appointment (null: none yet). */
  reportText(domain: string, appointmentId: string): string | null
}
