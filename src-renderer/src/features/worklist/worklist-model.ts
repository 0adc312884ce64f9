import type { AppointmentView, DomainRefreshResult, SiteView } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import type { CachedWorklistItem } from '../../db/worklist-cache'
import { displayName, formatSiteTime, parseInstant } from '../../ui/time-format'
import { priorityRank, type UrgencyKey } from './priority'

/** One worklist row in memory: the view plus everything sorting and filtering need, computed once. */
export interface WorklistEntry extends CachedWorklistItem {
  readonly key: string
  readonly name: string
  readonly siteTime: string
  readonly urgency: UrgencyKey
  /** Lower-case name, ids, study and site: what the free-text filter searches. */
  readonly haystack: string
}

export type SiteZones = ReadonlyMap<string, string | null>

export const siteZoneKey = (domain: string, siteName: string) => `${domain}/${siteName}`

export function siteZones(sites: readonly SiteView[]): SiteZones {
  return new Map(sites.map((s) => [siteZoneKey(s.domain, s.siteName), s.timeZone]))
}

export function sameZones(a: SiteZones, b: SiteZones): boolean {
  return a.size === b.size && [...a].every(([key, zone]) => b.has(key) && b.get(key) === zone)
}

export function toEntry(item: CachedWorklistItem, zones: SiteZones): WorklistEntry {
  const v = item.view
  const zone = v.scheduledSite ? (zones.get(siteZoneKey(v.domain, v.scheduledSite)) ?? null) : null
  const name = displayName(v)
  return {
    ...item,
    key: appointmentRowKey(v.domain, v.appointmentId),
    name,
    siteTime: formatSiteTime(v.appointmentDate, v.startTime, zone),
    urgency: {
      rank: priorityRank(v.priority),
      deadlineMs: parseInstant(v.reportNeededBy),
      localStart: v.appointmentDate ? `${v.appointmentDate} ${v.startTime ?? ''}` : '',
    },
    haystack: [name, v.patientName, v.patientId, v.appointmentId, v.studyDescription, v.scheduledSite]
      .filter(Boolean)
      .join('\u0000')
      .toLowerCase(),
  }
}

/**
 * The next snapshot after a refresh. For a domain that refreshed, what QUBS listed is pending and what
 * it no longer lists is dropped, unless it still holds a draft or an undelivered submission (`retain`):
 * then it stays, marked "no longer pending", so the work is not lost from sight. A domain whose refresh
 * failed keeps its cached rows unchanged.
 */
export function mergeRefresh(
  previous: readonly CachedWorklistItem[],
  fresh: readonly AppointmentView[],
  domains: readonly DomainRefreshResult[],
  refreshId: string,
  retain: ReadonlySet<string>,
): CachedWorklistItem[] {
  const refreshed = new Set(domains.filter((d) => d.ok).map((d) => d.domain))
  const next = new Map<string, CachedWorklistItem>()
  for (const view of fresh) {
    next.set(appointmentRowKey(view.domain, view.appointmentId), { view, pending: true, refreshId })
  }
  for (const item of previous) {
    const key = appointmentRowKey(item.view.domain, item.view.appointmentId)
    if (next.has(key)) continue
    if (!refreshed.has(item.view.domain)) next.set(key, item)
    else if (retain.has(key)) next.set(key, { ...item, pending: false })
  }
  return [...next.values()]
}
