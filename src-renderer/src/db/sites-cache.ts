import { SiteViewSchema, type SiteView } from '../../../src-preload/contract'
import type { CacheSession } from './cache-session'

/** Site time zones (not PHI): appointment times are local to their site, so they are shown in its zone. */
export async function putCachedSites(session: CacheSession, sites: readonly SiteView[], now: number) {
  await session.db.transaction('rw', session.db.sites, async () => {
    await session.db.sites.clear()
    await session.db.sites.bulkPut(
      sites.map((s) => ({ key: `${s.domain}/${s.siteName}`, ...s, fetchedAt: now })),
    )
  })
}

export async function listCachedSites(session: CacheSession): Promise<SiteView[]> {
  const rows = await session.db.sites.toArray()
  return rows.flatMap((row) => {
    const parsed = SiteViewSchema.safeParse({
      domain: row.domain,
      siteName: row.siteName,
      timeZone: row.timeZone,
    })
    return parsed.success ? [parsed.data] : []
  })
}
