/**
 * What a route handler gets: the request, its path parameters, the authenticated principal (for
 * bearer routes) and the sandbox's shared parts. Kept in its own file so routes and the server do not
 * import each other.
 */
import type { IncomingMessage } from 'node:http'
import type { Random } from '../common/clock'
import type { Logger } from '../common/logger'
import type { Principal, TokenService } from './auth'
import type { EffectLog, StatsCounter } from './effects'
import type { FaultController } from './faults'
import type { Reply } from './http-io'
import type { IdempotencyStore } from './idempotency'
import type { PdfCache } from './pdf'
import type { Presigner } from './presign'
import type { SandboxStore } from './store'
import type { SandboxAdmin } from './types'

export interface SandboxDeps {
  readonly store: SandboxStore
  readonly tokens: TokenService
  readonly idempotency: IdempotencyStore
  readonly effects: EffectLog
  readonly stats: StatsCounter
  readonly faults: FaultController
  readonly presigner: Presigner
  readonly pdfs: PdfCache
  /** The sandbox clock: the injected clock plus the admin offset. */
  readonly now: () => number
  /** Seeded: guids of comments, reports and attachments the sandbox creates. */
  readonly random: Random
  /** The base URL presigned URLs are built on (known once the server listens). */
  readonly baseUrl: () => string
  readonly logger: Logger
  readonly lastPageNextToken: 'empty' | 'omit'
  readonly statusBeforeReplay: boolean
  readonly finalReportLeavesPending: boolean
  readonly singleUsePutUrls: boolean
  readonly presignBeforeContent: boolean
  readonly admin: SandboxAdmin
}

export interface RouteContext {
  readonly req: IncomingMessage
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
  /** Set on bearer routes; null on the token endpoint, presigned URLs and admin. */
  readonly principal: Principal | null
  readonly deps: SandboxDeps
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path template with {params}, e.g. '/integrations/v1/{domain}/sites'. */
  readonly template: string
  readonly auth: 'bearer' | 'none'
  handle(context: RouteContext): Promise<Reply> | Reply
}

/** The principal of a bearer route (the server guarantees it is set). */
export function principalOf(context: RouteContext): Principal {
  if (!context.principal) throw new Error('bearer route without a principal')
  return context.principal
}

export function param(context: RouteContext, name: string): string {
  const value = context.params[name]
  if (value === undefined) throw new Error(`route without parameter ${name}`)
  return value
}
