import { z } from 'zod'
import { create } from 'zustand'
import type { OutboxEntryView, WorklistProgress, WorklistRefresh } from '../../../../src-preload/contract'
import { fetchWorklist } from '../../bridge/transfers'
import { getBridge } from '../../bridge'
import type { CacheSession } from '../../db/cache-session'
import { listCommentCounts, type CommentCounts } from '../../db/comments-cache'
import { readPref, writePref } from '../../db/prefs'
import { listCachedSites, putCachedSites } from '../../db/sites-cache'
import { listUndeliveredDraftKeys } from '../../db/drafts'
import {
  loadWorklistSnapshot,
  saveWorklistSnapshot,
  type CachedWorklistItem,
  type WorklistIndex,
} from '../../db/worklist-cache'
import { appointmentRowKey } from '../../db/database'
import { errorMessage } from '../../ui/error-message'
import { parseInstant } from '../../ui/time-format'
import { defaultOrderFirstScreen } from './first-screen'
import {
  mergeRefresh,
  sameZones,
  siteZones,
  toEntry,
  type SiteZones,
  type WorklistEntry,
} from './worklist-model'
import { compareUrgency } from './priority'
import {
  filterEntries,
  NO_FILTERS,
  SORT_COLUMNS,
  sortEntries,
  type SortChoice,
  type WorklistFilters,
} from './visible-rows'

const SortPrefSchema = z.object({ column: z.enum(SORT_COLUMNS), descending: z.boolean() }).nullable()
const FilterPrefSchema = z.object({
  modality: z.string(),
  site: z.string(),
  priority: z.string(),
  domain: z.string(),
})

interface WorklistState {
  readonly entries: readonly WorklistEntry[]
  /** True once the cached snapshot was read (empty or not). */
  readonly cacheLoaded: boolean
  /** Cached rows still being opened after the first screen was shown (0 once all are). */
  readonly openingCachedRows: number
  readonly refreshing: boolean
  /**
   * The cache session the running (or last) refresh belongs to. A refresh of another session (the
   * page's state was reset, a new cache opened) that answers late is dropped, never merged.
   */
  readonly refreshSession: CacheSession | null
  /** Progress of the running refresh, per domain. */
  readonly progress: Readonly<Record<string, WorklistProgress>>
  readonly lastRefresh: WorklistRefresh | null
  /** When a refresh last answered for every domain (kept across restarts): what "Refreshed" means. */
  readonly lastSuccessfulRefreshAt: number | null
  /** When the latest refresh attempt failed (wholly or for a domain); null once one succeeds. */
  readonly lastFailedRefreshAt: number | null
  readonly refreshError: string | null
  readonly sort: SortChoice | null
  readonly filters: WorklistFilters
  /** Appointments with a draft whose report is not delivered yet (the grid's draft marker). */
  readonly draftKeys: ReadonlySet<string>
  readonly commentCounts: ReadonlyMap<string, CommentCounts>
  /** The row the person last selected; kept while they visit an appointment. */
  readonly activeKey: string | null
  /** Site time zones by `${domain}/${siteName}`. */
  readonly zones: SiteZones
  /** `index`: the snapshot's clear rows, when the caller already started reading them (a cold start). */
  loadCached(session: CacheSession, index?: Promise<WorklistIndex>): Promise<void>
  /** Fetches every domain from main, merges, seals and stores the snapshot. */
  refresh(session: CacheSession, outbox: readonly OutboxEntryView[]): Promise<void>
  /** Re-reads draft and comment badges (after a comment was cached or a draft saved). */
  reloadBadges(session: CacheSession): Promise<void>
  setSort(session: CacheSession, sort: SortChoice | null): void
  setFilters(session: CacheSession, filters: Partial<WorklistFilters>): void
}

const SORT_PREF = 'worklist.sort'
const LAST_SUCCESS_PREF = 'worklist.lastSuccessfulRefreshAt'
const LastSuccessSchema = z.number().int().nonnegative().nullable()
const FILTER_PREF = 'worklist.filters'

export const useWorklistStore = create<WorklistState>((set, get) => {
  let queued: { readonly session: CacheSession; readonly outbox: readonly OutboxEntryView[] } | null = null
  // The cached snapshot being read: a refresh merges onto it, never onto the empty list before it.
  let cachedSnapshot: Promise<unknown> = Promise.resolve()

  const refreshOnce = async (session: CacheSession, outbox: readonly OutboxEntryView[]) => {
    const api = getBridge()
    const current = () => get().refreshSession === session
    const [fetched, sites] = await Promise.all([
      fetchWorklist((p) => {
        if (current()) set((s) => ({ progress: { ...s.progress, [p.domain]: p } }))
      }),
      api.listSites().catch(() => null),
    ])
    if (!current()) return
    if (sites) await putCachedSites(session, sites, Date.now())
    await cachedSnapshot
    // A draft keeps its appointment listed until its report is delivered, not after.
    const draftKeys = await listUndeliveredDraftKeys(session)
    if (!current()) return
    const retain = new Set(draftKeys)
    for (const e of outbox) {
      if (e.state !== 'delivered' && e.discardedAt === null)
        retain.add(appointmentRowKey(e.domain, e.appointmentId))
    }
    const fresh = sites ? siteZones(sites) : null
    const zonesChanged = fresh !== null && !sameZones(fresh, get().zones)
    const zones = fresh && zonesChanged ? fresh : get().zones
    const failed = fetched.refresh.domains.filter((d) => !d.ok)
    const completedAt = parseInstant(fetched.refresh.completedAt) ?? Date.now()
    // No domain answered (offline): the list and its snapshot are unchanged, so neither is rebuilt —
    // no merge, no re-render of every row, no re-sealing of the same snapshot. Only fresh site zones
    // (sites answered with other zones, the worklist did not) re-derive the rows' site times.
    const answered = fetched.refresh.domains.some((d) => d.ok)
    const merged = answered
      ? mergeRefresh(get().entries, fetched.items, fetched.refresh.domains, fetched.refresh.refreshId, retain)
      : null
    const entries = merged
      ? sortEntries(
          merged.map((i) => toEntry(i, zones)),
          null,
        )
      : zonesChanged
        ? get().entries.map((e) => toEntry(e, zones))
        : get().entries
    set({
      entries,
      lastRefresh: fetched.refresh,
      ...(failed.length
        ? { lastFailedRefreshAt: completedAt }
        : { lastSuccessfulRefreshAt: completedAt, lastFailedRefreshAt: null }),
      zones,
      draftKeys,
      refreshError: failed.length
        ? failed.map((d) => `${d.domain}: ${d.error?.message ?? 'refresh failed'}`).join('; ')
        : null,
    })
    // Shown first, stored after: the person never waits for the disk write. Stored most urgent first,
    // so the next cold start finds its first screen in the first batch.
    if (merged) await saveWorklistSnapshot(session, entries)
    if (!failed.length) await writePref(session.db, LAST_SUCCESS_PREF, completedAt)
  }

  return {
    entries: [],
    cacheLoaded: false,
    openingCachedRows: 0,
    refreshing: false,
    refreshSession: null,
    progress: {},
    lastRefresh: null,
    lastSuccessfulRefreshAt: null,
    lastFailedRefreshAt: null,
    refreshError: null,
    sort: null,
    filters: NO_FILTERS,
    draftKeys: new Set(),
    commentCounts: new Map(),
    zones: new Map(),
    activeKey: null,

    loadCached: async (session, index) => {
      const prefs = Promise.all([
        readPref(session.db, SORT_PREF, SortPrefSchema, null),
        readPref(session.db, FILTER_PREF, FilterPrefSchema, NO_FILTERS),
        readPref(session.db, LAST_SUCCESS_PREF, LastSuccessSchema, null),
        listCachedSites(session),
      ])
      // Set before the first await: a refresh started at once merges onto the whole snapshot.
      const shown = (async () => {
        const [sort, filters, , sites] = await prefs
        const zones = siteZones(sites)
        const show = (items: readonly CachedWorklistItem[], opening: number) => {
          // A refresh that already landed is newer than the snapshot: the snapshot never replaces it.
          if (get().lastRefresh !== null) return
          set({ entries: items.map((i) => toEntry(i, zones)), openingCachedRows: opening, zones })
        }
        // Sort and select filters first, so the first screen shows in the order it will keep.
        set({ sort, filters: { ...filters, text: get().filters.text } })
        // The first screen is known from the clear index only in the default order (a sort by a
        // sealed column such as the name needs every row opened first).
        const firstScreen = sort === null ? defaultOrderFirstScreen(filters, show) : undefined
        show(await loadWorklistSnapshot(session, firstScreen, index), 0)
      })()
      cachedSnapshot = shown.catch(() => undefined)
      const [, , lastSuccess] = await prefs
      await shown
      set({
        cacheLoaded: true,
        openingCachedRows: 0,
        lastSuccessfulRefreshAt: get().lastSuccessfulRefreshAt ?? lastSuccess,
      })
      await get().reloadBadges(session)
    },

    refresh: async (session, outbox) => {
      // A request while one runs (the timer, the button, QUBS back) is not dropped: one more follows.
      if (get().refreshing) {
        queued = { session, outbox }
        return
      }
      set({ refreshing: true, refreshSession: session, progress: {}, refreshError: null })
      try {
        await refreshOnce(session, outbox)
      } catch (error) {
        if (get().refreshSession === session)
          set({ refreshError: errorMessage(error), lastFailedRefreshAt: Date.now() })
      } finally {
        if (get().refreshSession === session) set({ refreshing: false })
      }
      const next = queued
      queued = null
      if (next && get().refreshSession === next.session) await get().refresh(next.session, next.outbox)
    },

    reloadBadges: async (session) => {
      const [draftKeys, commentCounts] = await Promise.all([
        listUndeliveredDraftKeys(session),
        listCommentCounts(session),
      ])
      set({ draftKeys, commentCounts })
    },

    setSort: (session, sort) => {
      set({ sort })
      void writePref(session.db, SORT_PREF, sort)
    },

    setFilters: (session, filters) => {
      const next = { ...get().filters, ...filters }
      set({ filters: next })
      if (Object.keys(filters).some((k) => k !== 'text')) {
        const { text: _text, ...remembered } = next
        void writePref(session.db, FILTER_PREF, remembered)
      }
    },
  }
})

/**
 * Next case within what the person is looking at: the current filters (modality, site, priority,
 * domain, text). A radiologist who filtered to CT reads CT — jumping to a more urgent DX study they
 * chose not to see (or are not credentialed for) would be wrong; clearing the filters widens it.
 */
export function nextCaseInView(
  state: Pick<WorklistState, 'entries' | 'filters'>,
  outbox: readonly OutboxEntryView[],
): WorklistEntry | null {
  return nextCase(filterEntries(state.entries, state.filters), outbox)
}

/**
 * The most urgent pending appointment not yet reported: no report of it is delivered or on its way
 * in the outbox (a held report still needs the radiologist, so it does not count as reported).
 */
export function nextCase(
  entries: readonly WorklistEntry[],
  outbox: readonly OutboxEntryView[],
): WorklistEntry | null {
  const open = stillToReport(outbox)
  let best: WorklistEntry | null = null
  for (const e of entries) {
    if (!open(e)) continue
    if (!best || compareUrgency(e.urgency, best.urgency) < 0) best = e
  }
  return best
}

/**
 * nextCase over entries already in the default order (`sortEntries(entries, null)`, most urgent first),
 * within `keep` (the filters): the first that qualifies is the most urgent, and on a tie the first in
 * `entries` — the same entry nextCase finds, without comparing every listed row on each keystroke.
 */
export function nextCaseInUrgencyOrder(
  byUrgency: readonly WorklistEntry[],
  outbox: readonly OutboxEntryView[],
  keep: ((e: WorklistEntry) => boolean) | null,
): WorklistEntry | null {
  const open = stillToReport(outbox)
  return byUrgency.find((e) => open(e) && (!keep || keep(e))) ?? null
}

/** Pending, and no report of it delivered or on its way (a held report still needs the radiologist). */
function stillToReport(outbox: readonly OutboxEntryView[]): (e: WorklistEntry) => boolean {
  const reported = new Set(
    outbox
      .filter((e) => e.kind === 'report' && e.discardedAt === null && e.state !== 'held')
      .map((e) => appointmentRowKey(e.domain, e.appointmentId)),
  )
  return (e) => e.pending && !reported.has(e.key)
}
