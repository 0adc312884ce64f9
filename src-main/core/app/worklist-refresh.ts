import {
  WORKLIST_CHUNK_SIZE,
  type AppointmentView,
  type DomainRefreshResult,
  type WorklistChunk,
  type WorklistProgress,
  type WorklistRefresh,
} from '../../../src-preload/contract'
import { ContractError } from '../../../src-preload/contract/server'
import type { Logger } from '../../common/logger'
import { walkPendingPages, type PendingAppointment, type QubsClient } from '../api'
import { toContractError } from './contract-errors'
import type { ReadPorts } from './read-through'
import { toAppointmentView } from './views'

/**
 * The worklist refresh behind `refreshWorklist`: walks every page of every configured domain (the
 * walk's cursor checks guard against a server that loops), reports progress per page, de-duplicates by
 * (domain, appointmentId), and keeps the result in chunks for `getWorklistChunk`. One refresh runs at a
 * time — a second request joins it — and only the latest few results are kept, so memory stays bounded
 * however often the renderer refreshes. A failing domain is reported without PHI while the others
 * still count.
 */
export const WORKLIST_PAGE_SIZE = 500
/** Results kept for reading: the latest, and the one before it for a reader still on it. */
export const KEPT_REFRESHES = 2

export interface WorklistRefresherOptions extends ReadPorts {
  readonly client: Pick<QubsClient, 'domains' | 'listPendingPage'>
  readonly onProgress: (progress: WorklistProgress) => void
}

interface KeptResult {
  readonly refreshId: string
  readonly chunks: readonly (readonly AppointmentView[])[]
}

export class WorklistRefresher {
  readonly #options: Readonly<WorklistRefresherOptions>
  readonly #logger: Logger
  readonly #kept: KeptResult[] = []
  #running: Promise<WorklistRefresh> | null = null

  constructor(options: Readonly<WorklistRefresherOptions>) {
    this.#options = options
    this.#logger = options.logger.child('worklist-refresh')
  }

  /** Starts a refresh, or joins the one already running. */
  refresh(): Promise<WorklistRefresh> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null
    })
    return this.#running
  }

  /** Forgets every kept result (wipe of local data); a refresh running now still answers its caller. */
  clear(): void {
    this.#kept.length = 0
  }

  chunk(refreshId: string, index: number): WorklistChunk {
    const kept = this.#kept.find((result) => result.refreshId === refreshId)
    if (!kept) throw new ContractError('not-found', 'that worklist refresh is no longer kept; refresh again')
    const items = kept.chunks[index]
    if (!items) throw new ContractError('not-found', `worklist chunk ${index} does not exist`)
    return { refreshId, index, items: [...items] }
  }

  async #run(): Promise<WorklistRefresh> {
    const { clock, random, client } = this.#options
    const refreshId = random.uuid()
    const startedAt = new Date(clock.now()).toISOString()
    const byKey = new Map<string, AppointmentView>()
    const domains: DomainRefreshResult[] = []
    for (const domain of new Set(client.domains)) {
      const result = await this.#walkDomain(refreshId, domain)
      domains.push(result.summary)
      for (const item of result.items)
        byKey.set(JSON.stringify([item.domain, item.appointmentId]), toAppointmentView(item))
    }
    const items = [...byKey.values()]
    const chunks: AppointmentView[][] = []
    for (let start = 0; start < items.length; start += WORKLIST_CHUNK_SIZE) {
      chunks.push(items.slice(start, start + WORKLIST_CHUNK_SIZE))
    }
    this.#kept.push({ refreshId, chunks })
    while (this.#kept.length > KEPT_REFRESHES) this.#kept.shift()
    this.#logger.info('worklist refreshed', { count: items.length, state: summarize(domains) })
    return {
      refreshId,
      startedAt,
      completedAt: new Date(clock.now()).toISOString(),
      total: items.length,
      chunkCount: chunks.length,
      domains,
    }
  }

  async #walkDomain(
    refreshId: string,
    domain: string,
  ): Promise<{ summary: DomainRefreshResult; items: readonly PendingAppointment[] }> {
    const { client, onProgress } = this.#options
    let pages = 0
    let seen = 0
    try {
      const walk = await walkPendingPages(
        async (pageDomain, pageOptions) => {
          const page = await client.listPendingPage(pageDomain, {
            ...pageOptions,
            pageSize: WORKLIST_PAGE_SIZE,
          })
          pages += 1
          seen += page.items.length
          onProgress({ refreshId, domain, pages, items: seen, done: false })
          return page
        },
        { domains: [domain], logger: this.#logger },
      )
      onProgress({ refreshId, domain, pages, items: walk.items.length, done: true })
      return { summary: { domain, ok: true, items: walk.items.length, pages }, items: walk.items }
    } catch (error) {
      onProgress({ refreshId, domain, pages, items: 0, done: true })
      const failure = toContractError(error)
      this.#logger.warn('worklist refresh of a domain failed', {
        domain,
        code: failure?.code ?? 'internal',
        requestId: failure?.requestId,
        correlationId: failure?.correlationId,
        error,
      })
      return {
        summary: {
          domain,
          ok: false,
          items: 0,
          pages,
          error: {
            code: failure?.code ?? 'internal',
            message: failure?.message ?? 'the worklist of this domain could not be read',
            ...(failure?.requestId ? { requestId: failure.requestId } : {}),
            ...(failure?.correlationId ? { correlationId: failure.correlationId } : {}),
          },
        },
        items: [],
      }
    }
  }
}

function summarize(domains: readonly DomainRefreshResult[]): string {
  const failed = domains.filter((d) => !d.ok).length
  return failed === 0 ? 'complete' : `${failed} of ${domains.length} domains failed`
}
