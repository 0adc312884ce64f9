/**
 * startSandbox: the QUBS sandbox server in-process. It is the peer every core test talks to, the
 * demo backend, and (through main.ts) a standalone tool. Written from the API documents alone — it
 * shares no code with the client core.
 */
import type { AddressInfo } from 'node:net'
import { seededRandom } from '../common/clock'
import { silentLogger } from '../common/logger'
import { Admin } from './admin'
import { TokenService } from './auth'
import type { Route, SandboxDeps } from './context'
import { EffectLog, StatsCounter } from './effects'
import { FaultController } from './faults'
import { IdempotencyStore } from './idempotency'
import { PdfCache } from './pdf'
import { Presigner } from './presign'
import { adminRoutes } from './routes/admin'
import { appointmentRoutes } from './routes/appointments'
import { attachmentRoutes } from './routes/attachments'
import { commentRoutes } from './routes/comments'
import { reportAttachmentRoutes } from './routes/report-attachments'
import { reportRoutes } from './routes/report'
import { siteRoutes } from './routes/sites'
import { tokenRoute } from './routes/token'
import { generateDomain, mix } from './seed'
import { createSandboxServer } from './server'
import { SandboxStore } from './store'
import type { RunningSandbox, SandboxOptions } from './types'

export type {
  Effect,
  EffectKind,
  FaultKind,
  FaultSettings,
  RunningSandbox,
  SandboxAdmin,
  SandboxOptions,
  SandboxStats,
  ScriptedFault,
} from './types'
export { FAULT_KINDS } from './types'

export const DEFAULT_CLIENT_ID = 'demo-client'
export const DEFAULT_CLIENT_SECRET = 'demo-secret'
export const DEFAULT_DOMAINS: readonly string[] = ['demo']

/** The routes in match order: a literal segment ('pending') before the parameter that would take it. */
function routeTable(admin: boolean): Route[] {
  return [
    tokenRoute,
    ...siteRoutes,
    ...appointmentRoutes,
    ...attachmentRoutes,
    ...commentRoutes,
    ...reportRoutes,
    ...reportAttachmentRoutes,
    ...(admin ? adminRoutes : []),
  ]
}

export async function startSandbox(options: Readonly<SandboxOptions> = {}): Promise<RunningSandbox> {
  const domains = [...(options.domains ?? DEFAULT_DOMAINS)]
  if (domains.length === 0 || domains.some((d) => !/^[A-Za-z0-9-]{1,64}$/.test(d))) {
    throw new RangeError('domains must be 1 or more names of letters, digits and dashes')
  }
  const seed = options.seed ?? 1
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET
  const baseNow = options.now ?? Date.now
  let clockOffsetMs = 0
  const now = () => baseNow() + clockOffsetMs
  const logger = options.logger ?? silentLogger

  const startedAt = now()
  const store = new SandboxStore(
    domains.map((domain) =>
      generateDomain({ seed, domain, count: options.appointments ?? 200, anchorMs: startedAt }),
    ),
  )
  const faults = new FaultController(options.faults ?? {})
  const effects = new EffectLog(now)
  const stats = new StatsCounter()
  const admin = new Admin({
    faults,
    effects,
    store,
    stats,
    advanceClock: (ms) => {
      clockOffsetMs += ms
    },
  })
  let baseUrl = ''
  const deps: SandboxDeps = {
    store,
    tokens: new TokenService({
      clientId,
      clientSecret,
      domains,
      accessTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshTtlSeconds: options.refreshTokenTtlSeconds ?? 432_000,
      issueRefreshToken: options.issueRefreshToken ?? true,
      now,
      uuid: () => crypto.randomUUID(),
    }),
    idempotency: new IdempotencyStore(now),
    effects,
    stats,
    faults,
    presigner: new Presigner(),
    pdfs: new PdfCache(),
    now,
    random: seededRandom(mix(seed, 0xc0ffee)),
    baseUrl: () => baseUrl,
    logger,
    lastPageNextToken: options.lastPageNextToken ?? 'empty',
    statusBeforeReplay: options.strictness?.statusBeforeReplay ?? false,
    finalReportLeavesPending: options.strictness?.finalReportLeavesPending ?? false,
    singleUsePutUrls: options.strictness?.singleUsePutUrls ?? false,
    presignBeforeContent: options.strictness?.presignBeforeContent ?? false,
    admin,
  }
  const { server, destroySockets } = createSandboxServer(deps, routeTable(options.admin ?? true))
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  baseUrl = `http://${urlHost}:${port}`
  logger.info('sandbox listening', { url: baseUrl, port, count: domains.length })

  let closing: Promise<void> | null = null
  return {
    baseUrl,
    tokenUrl: `${baseUrl}/oauth2/token`,
    apiBaseUrl: baseUrl,
    domains,
    clientId,
    clientSecret,
    admin,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        destroySockets()
      })
      return closing
    },
  }
}
