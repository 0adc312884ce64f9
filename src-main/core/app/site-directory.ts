import type { SiteView } from '../../../src-preload/contract'
import type { Clock } from '../../common/clock'
import type { Logger } from '../../common/logger'
import type { QubsClient } from '../api'
import { readThrough } from './read-through'

/**
 * The sites of every configured domain with their time zones (appointment dates and times are local
 * to the scheduled site). Site settings change rarely, so the answer is kept in memory for a while and
 * concurrent callers share one fetch. A site whose settings cannot be read keeps a null zone rather
 * than failing the list; a domain whose list cannot be read fails the call (there is nothing to show).
 */
export const SITE_CACHE_TTL_MS = 30 * 60 * 1000

export interface SiteDirectoryOptions {
  readonly client: Pick<QubsClient, 'domains' | 'listSites' | 'getSite'>
  readonly clock: Clock
  readonly logger: Logger
  readonly ttlMs?: number
}

export class SiteDirectory {
  readonly #options: Readonly<SiteDirectoryOptions>
  readonly #logger: Logger
  #cached: { readonly at: number; readonly sites: readonly SiteView[] } | null = null
  #loading: Promise<readonly SiteView[]> | null = null

  constructor(options: Readonly<SiteDirectoryOptions>) {
    this.#options = options
    this.#logger = options.logger.child('site-directory')
  }

  /** Forgets the cached sites (wipe of local data). */
  clear(): void {
    this.#cached = null
  }

  async list(): Promise<SiteView[]> {
    const ttl = this.#options.ttlMs ?? SITE_CACHE_TTL_MS
    const now = this.#options.clock.now()
    if (this.#cached && now - this.#cached.at < ttl) return [...this.#cached.sites]
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null
    })
    return [...(await this.#loading)]
  }

  async #load(): Promise<readonly SiteView[]> {
    const { client, clock } = this.#options
    const perDomain = await readThrough(() =>
      Promise.all(
        [...new Set(client.domains)].map(async (domain) => {
          const sites = await client.listSites(domain)
          return Promise.all(sites.map((site) => this.#withZone(domain, site.siteName)))
        }),
      ),
    )
    const sites = perDomain.flat()
    this.#cached = { at: clock.now(), sites }
    return sites
  }

  async #withZone(domain: string, siteName: string): Promise<SiteView> {
    try {
      const settings = await this.#options.client.getSite(domain, siteName)
      const timeZone = settings.timeZone && isKnownZone(settings.timeZone) ? settings.timeZone : null
      return { domain, siteName, timeZone }
    } catch (error) {
      this.#logger.warn('site settings could not be read', { domain, error })
      return { domain, siteName, timeZone: null }
    }
  }
}

/** A zone name the runtime can format with; anything else would break every time shown for the site. */
function isKnownZone(zone: string): boolean {
  if (zone.length > 128) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
