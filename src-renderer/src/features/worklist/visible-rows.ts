import { compareUrgency } from './priority'
import type { WorklistEntry } from './worklist-model'

/** What the person sorts and filters by; every choice except the free text is remembered (not PHI). */
export const SORT_COLUMNS = [
  'priority',
  'deadline',
  'name',
  'age',
  'sex',
  'modality',
  'study',
  'site',
  'time',
  'domain',
] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]

export interface SortChoice {
  readonly column: SortColumn
  readonly descending: boolean
}

export interface WorklistFilters {
  /** Free text over name, ids, study and site. Not remembered: it may hold a patient's name. */
  readonly text: string
  readonly modality: string
  readonly site: string
  readonly priority: string
  readonly domain: string
}

/** The remembered part of the filters (the free text is not: it may hold a patient's name). */
export type SelectFilters = Omit<WorklistFilters, 'text'>

export const NO_FILTERS: WorklistFilters = { text: '', modality: '', site: '', priority: '', domain: '' }

const text = (s: string | null) => s ?? ''

const byColumn: Record<SortColumn, (a: WorklistEntry, b: WorklistEntry) => number> = {
  priority: (a, b) => a.urgency.rank - b.urgency.rank,
  deadline: (a, b) => compareUrgency({ ...a.urgency, rank: 0 }, { ...b.urgency, rank: 0 }),
  name: (a, b) => a.name.localeCompare(b.name),
  // Later birth date = younger.
  age: (a, b) => text(b.view.dateOfBirth).localeCompare(text(a.view.dateOfBirth)),
  sex: (a, b) => text(a.view.gender).localeCompare(text(b.view.gender)),
  modality: (a, b) => text(a.view.modality).localeCompare(text(b.view.modality)),
  study: (a, b) => text(a.view.studyDescription).localeCompare(text(b.view.studyDescription)),
  site: (a, b) => text(a.view.scheduledSite).localeCompare(text(b.view.scheduledSite)),
  time: (a, b) => a.urgency.localStart.localeCompare(b.urgency.localStart),
  domain: (a, b) => a.view.domain.localeCompare(b.view.domain),
}

/** Default order (urgent first, then deadline, then time); a chosen column sorts first, ties fall back to it. */
export function sortEntries(entries: readonly WorklistEntry[], sort: SortChoice | null): WorklistEntry[] {
  const column = sort ? byColumn[sort.column] : null
  const sign = sort?.descending ? -1 : 1
  return [...entries].sort(
    (a, b) => (column ? sign * column(a, b) : 0) || compareUrgency(a.urgency, b.urgency),
  )
}

/** The filters as one test of an entry (what filterEntries keeps), or null when nothing is filtered. */
export function entryFilter(filters: WorklistFilters): ((e: WorklistEntry) => boolean) | null {
  const needle = filters.text.trim().toLowerCase()
  const { modality, site, priority, domain } = filters
  if (!needle && !modality && !site && !priority && !domain) return null
  return (e) => (!needle || e.haystack.includes(needle)) && matchesSelectFilters(e.view, filters)
}

export function filterEntries(entries: readonly WorklistEntry[], filters: WorklistFilters): WorklistEntry[] {
  const keep = entryFilter(filters)
  return keep ? entries.filter(keep) : (entries as WorklistEntry[])
}

/** The select filters: all four on clear fields, so they apply alike to a row in memory and on disk. */
export function matchesSelectFilters(
  fields: Readonly<{
    modality: string | null
    scheduledSite: string | null
    priority: string | null
    domain: string
  }>,
  filters: SelectFilters,
): boolean {
  return (
    (!filters.modality || fields.modality === filters.modality) &&
    (!filters.site || fields.scheduledSite === filters.site) &&
    (!filters.priority || fields.priority === filters.priority) &&
    (!filters.domain || fields.domain === filters.domain)
  )
}

/** The distinct values a select filter offers, sorted. */
export function distinctValues(entries: readonly WorklistEntry[], pick: (e: WorklistEntry) => string | null) {
  const values = new Set<string>()
  for (const e of entries) {
    const v = pick(e)
    if (v) values.add(v)
  }
  return [...values].sort((a, b) => a.localeCompare(b))
}

/** The pending appointments in default (most urgent first) order, as keys: what prefetch caches first. */
export function mostUrgentKeys(entries: readonly WorklistEntry[], limit: number) {
  return sortEntries(
    entries.filter((e) => e.pending),
    null,
  )
    .slice(0, limit)
    .map((e) => ({ domain: e.view.domain, appointmentId: e.view.appointmentId }))
}
