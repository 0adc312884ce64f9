import type { Logger } from '../../common/logger'
import { QubsError } from './errors'
import type { PendingAppointment } from './schemas'

/**
 * The full worklist walk: every page of every domain, following `nextToken` until it is empty or
 * omitted. The server promises no order and a page can repeat an item seen earlier (items move while
 * we page), so results are de-duplicated by (domain, appointmentId), the last copy winning because it
 * is the freshest. A server that hands back a cursor it already gave us would loop forever; that is
 * detected and reported as an invalid response rather than silently truncating the worklist (a
 * truncated list would make appointments look "no longer pending").
 */
export interface PendingPage {
  readonly items: readonly PendingAppointment[]
  /** Undefined when this was the last page. */
  readonly nextToken: string | undefined
}

export type FetchPendingPage = (
  domain: string,
  options: Readonly<{
    pageSize?: number | undefined
    nextToken?: string | undefined
    signal?: AbortSignal | undefined
  }>,
) => Promise<PendingPage>

export interface WalkOptions {
  readonly domains: readonly string[]
  readonly pageSize?: number | undefined
  readonly signal?: AbortSignal | undefined
  /** A hard ceiling on pages per domain, in case a server keeps minting fresh cursors forever. */
  readonly maxPagesPerDomain?: number
  readonly logger: Logger
}

export interface WalkResult {
  readonly items: PendingAppointment[]
  readonly pages: number
  readonly duplicates: number
}

export const DEFAULT_MAX_PAGES_PER_DOMAIN = 10_000

export async function walkPendingPages(
  fetchPage: FetchPendingPage,
  options: Readonly<WalkOptions>,
): Promise<WalkResult> {
  // By domain, then appointmentId: the pair without encoding it into one string per item.
  const byDomain = new Map<string, Map<string, PendingAppointment>>()
  const itemsOf = (domain: string) => {
    let items = byDomain.get(domain)
    if (items === undefined) {
      items = new Map()
      byDomain.set(domain, items)
    }
    return items
  }
  const maxPages = options.maxPagesPerDomain ?? DEFAULT_MAX_PAGES_PER_DOMAIN
  let pages = 0
  let duplicates = 0
  for (const domain of options.domains) {
    const seenTokens = new Set<string>()
    let nextToken: string | undefined
    let domainPages = 0
    do {
      if (options.signal?.aborted) throw new QubsError({ kind: 'aborted', cause: options.signal.reason })
      if (domainPages >= maxPages) {
        options.logger.error('pending walk exceeded its page limit', { domain, count: domainPages })
        throw new QubsError({ kind: 'invalid-response', title: 'Too many pages' })
      }
      const page = await fetchPage(domain, { pageSize: options.pageSize, nextToken, signal: options.signal })
      pages += 1
      domainPages += 1
      for (const item of page.items) {
        const items = itemsOf(item.domain)
        if (items.delete(item.appointmentId)) duplicates += 1
        items.set(item.appointmentId, item)
      }
      nextToken = page.nextToken
      if (nextToken !== undefined) {
        if (seenTokens.has(nextToken)) {
          options.logger.error('pending walk: server repeated a cursor', { domain, count: domainPages })
          throw new QubsError({ kind: 'invalid-response', title: 'Repeated page cursor' })
        }
        seenTokens.add(nextToken)
      }
    } while (nextToken !== undefined)
    options.logger.info('pending walk finished a domain', { domain, count: domainPages })
  }
  return { items: [...byDomain.values()].flatMap((items) => [...items.values()]), pages, duplicates }
}
