import { useMemo } from 'react'
import { useSettingsStore } from '../../stores/settings-store'
import { useCacheSession } from '../../ui/session-context'
import { useNow } from '../../ui/use-now'
import { useOutboxStore } from '../outbox'
import { distinctValues, entryFilter, filterEntries, sortEntries, type WorklistFilters } from './visible-rows'
import { outboxBadges } from './outbox-badges'
import { WorklistGrid } from './WorklistGrid'
import type { WorklistEntry } from './worklist-model'
import { nextCaseInUrgencyOrder, useWorklistStore } from './worklist-store'

export const FILTER_INPUT_ID = 'worklist-filter'
const PLURAL = { modality: 'modalities', site: 'sites', priority: 'priorities', domain: 'domains' }

/** The hot list: filters, refresh with progress, Next case, and the grid. */
export function WorklistScreen({ onOpen }: Readonly<{ onOpen: (domain: string, id: string) => void }>) {
  const session = useCacheSession()
  const store = useWorklistStore()
  // The countdown colours follow the settings at once (settingsChanged), no restart.
  const thresholds = useSettingsStore((s) => s.settings.worklist)
  const outbox = useOutboxStore((s) => s.entries)
  const now = useNow(30_000)
  const activeKey = store.activeKey
  const setActiveKey = (key: string | null) => useWorklistStore.setState({ activeKey: key })
  // Filtered in the keystroke's own render, not deferred: a deferred render commits after the filter
  // box's echo has been painted, so the grid would always show a keystroke one frame late. Per keystroke
  // the work is one pass of `includes` over precomputed search keys plus the rows on screen (memoized,
  // see WorklistGrid), a few ms even at 50 000 rows.
  const sorted = useMemo(() => sortEntries(store.entries, store.sort), [store.entries, store.sort])
  const rows = useMemo(() => filterEntries(sorted, store.filters), [sorted, store.filters])
  // Next case looks in the default order: with no column chosen that is `sorted` itself.
  const byUrgency = useMemo(
    () => (store.sort ? sortEntries(store.entries, null) : sorted),
    [store.entries, store.sort, sorted],
  )
  const outboxStates = useMemo(() => outboxBadges(outbox), [outbox])
  const options = useMemo(
    () => ({
      modality: distinctValues(store.entries, (e) => e.view.modality),
      site: distinctValues(store.entries, (e) => e.view.scheduledSite),
      priority: distinctValues(store.entries, (e) => e.view.priority),
      domain: distinctValues(store.entries, (e) => e.view.domain),
    }),
    [store.entries],
  )

  const found = activeKey ? rows.findIndex((r) => r.key === activeKey) : -1
  const activeIndex = found >= 0 ? found : rows.length > 0 ? 0 : -1
  const open = (entry: WorklistEntry) => {
    setActiveKey(entry.key)
    onOpen(entry.view.domain, entry.view.appointmentId)
  }
  // Within the filters shown (see nextCaseInView), so the button and N agree with what is on screen:
  // the first listed row in urgency order that is still to report, not a comparison of every row.
  const next = useMemo(
    () => nextCaseInUrgencyOrder(byUrgency, outbox, entryFilter(store.filters)),
    [byUrgency, outbox, store.filters],
  )
  const setFilter = (f: Partial<WorklistFilters>) => store.setFilters(session, f)

  return (
    <section className="worklist" aria-label="Worklist screen">
      <div className="toolbar">
        <input
          id={FILTER_INPUT_ID}
          type="search"
          aria-label="Filter worklist"
          placeholder="Filter: name, id, study, site  ( / )"
          value={store.filters.text}
          onChange={(e) => setFilter({ text: e.target.value })}
          autoComplete="off"
          spellCheck={false}
        />
        {(['modality', 'site', 'priority', 'domain'] as const).map((name) => (
          <select
            key={name}
            aria-label={`Filter by ${name}`}
            value={store.filters[name]}
            onChange={(e) => setFilter({ [name]: e.target.value })}
          >
            <option value="">All {PLURAL[name]}</option>
            {options[name].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        ))}
        <span className="spacer" />
        <RefreshProgress />
        <button
          type="button"
          onClick={() => void store.refresh(session, outbox)}
          disabled={store.refreshing}
          aria-keyshortcuts="R"
        >
          {store.refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!next}
          aria-keyshortcuts="N"
          title="The most urgent appointment not yet reported, within the current filters (N)"
          onClick={() => next && open(next)}
        >
          Next case
        </button>
      </div>
      {store.refreshError && (
        <p role="alert" className="warning">
          Refresh failed — showing the cached list. {store.refreshError}
        </p>
      )}
      <p className="count" aria-live="polite">
        {rows.length === store.entries.length
          ? `${rows.length} appointments`
          : `${rows.length} of ${store.entries.length} appointments`}
        {store.openingCachedRows > 0 && ` — opening ${store.openingCachedRows} more from the cache…`}
      </p>
      {store.cacheLoaded && store.entries.length === 0 && !store.refreshing && (
        <p className="muted">No appointments cached yet. Refresh to load the worklist.</p>
      )}
      <WorklistGrid
        rows={rows}
        activeIndex={activeIndex}
        now={now}
        thresholds={thresholds}
        badges={{ draftKeys: store.draftKeys, outboxStates, commentCounts: store.commentCounts }}
        sort={store.sort}
        onActiveIndex={(i) => setActiveKey(rows[i]?.key ?? null)}
        onOpen={open}
        onSort={(sort) => store.setSort(session, sort)}
      />
    </section>
  )
}

function RefreshProgress() {
  const { refreshing, progress, lastSuccessfulRefreshAt, lastFailedRefreshAt } = useWorklistStore()
  const domains = Object.values(progress)
  if (refreshing) {
    const pages = domains.reduce((n, p) => n + p.pages, 0)
    const items = domains.reduce((n, p) => n + p.items, 0)
    return (
      <span
        className="progress"
        role="progressbar"
        aria-label="Worklist refresh"
        aria-valuetext={`${pages} pages, ${items} items`}
      >
        {pages} pages · {items} items
      </span>
    )
  }
  // "Refreshed" is only ever the last refresh that answered for every domain; a failure is said apart.
  return (
    <span className="muted refresh-times">
      {lastSuccessfulRefreshAt !== null && (
        <span>Refreshed {new Date(lastSuccessfulRefreshAt).toLocaleTimeString()}</span>
      )}
      {lastSuccessfulRefreshAt !== null && lastFailedRefreshAt !== null && <span aria-hidden="true">·</span>}
      {lastFailedRefreshAt !== null && (
        // The same clock format as "Refreshed", so the two times can be compared at a glance.
        <span className="warning-text">
          last attempt failed {new Date(lastFailedRefreshAt).toLocaleTimeString()}
        </span>
      )}
    </span>
  )
}
