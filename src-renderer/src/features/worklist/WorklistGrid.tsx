import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import type { CommentCounts } from '../../db/comments-cache'
import { deadlineState, formatAge, formatCountdown, type DeadlineThresholds } from '../../ui/time-format'
import type { OutboxBadge } from './outbox-badges'
import type { SortChoice, SortColumn } from './visible-rows'
import type { WorklistEntry } from './worklist-model'

export const ROW_HEIGHT = 34

/**
 * Row elements are keyed by their place in the window (index modulo this), not by appointment: a
 * filter keystroke that lists other rows then updates the contents of the row elements already on
 * screen instead of unmounting every one of them and mounting as many new ones (their DOM, styles and
 * layout objects made anew each keystroke). Any count above the rows a window can hold keeps the keys
 * unique, since the window's indexes are contiguous; the window grows past it only on a screen over
 * 30 000 px tall, and then `slots` follows the window so the keys stay unique.
 */
const ROW_KEY_SLOTS = 1024

export interface RowBadges {
  readonly draftKeys: ReadonlySet<string>
  /** The outbox work per appointment key, one badge per kind (see outboxBadges). */
  readonly outboxStates: ReadonlyMap<string, readonly OutboxBadge[]>
  readonly commentCounts: ReadonlyMap<string, CommentCounts>
}

interface Column {
  readonly id: SortColumn | 'state' | 'notes'
  readonly label: string
  readonly sortable: boolean
}

const COLUMNS: readonly Column[] = [
  { id: 'priority', label: 'Priority', sortable: true },
  { id: 'deadline', label: 'Report by', sortable: true },
  { id: 'name', label: 'Patient', sortable: true },
  { id: 'age', label: 'Age / DOB', sortable: true },
  { id: 'sex', label: 'Sex', sortable: true },
  { id: 'modality', label: 'Mod.', sortable: true },
  { id: 'study', label: 'Study', sortable: true },
  { id: 'site', label: 'Site', sortable: true },
  { id: 'time', label: 'Appointment', sortable: true },
  { id: 'domain', label: 'Domain', sortable: true },
  { id: 'state', label: 'State', sortable: false },
  { id: 'notes', label: 'Notes', sortable: false },
]

export interface WorklistGridProps {
  readonly rows: readonly WorklistEntry[]
  readonly activeIndex: number
  readonly now: number
  readonly thresholds: DeadlineThresholds
  readonly badges: RowBadges
  readonly sort: SortChoice | null
  onActiveIndex(index: number): void
  onOpen(entry: WorklistEntry): void
  onSort(sort: SortChoice | null): void
}

/**
 * The worklist as an ARIA grid: one row per appointment, virtualized (only the rows on screen exist in
 * the DOM, so 50 000 rows scroll smoothly); `aria-rowcount` / `aria-rowindex` tell assistive tools
 * the real size. Arrows, Page Up/Down, Home/End move the active row; Enter opens it.
 */
export function WorklistGrid(props: WorklistGridProps) {
  const { rows, activeIndex, badges, onActiveIndex, onOpen } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  // This build does not run the React Compiler; the virtualizer re-renders the grid itself on scroll.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })

  // Keyboard first: the list has the focus whenever it is shown, so arrows and Enter work at once.
  const gridRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) gridRef.current?.focus()
  }, [])

  // Keeps the active row in view when it moves or the list changes under it (a filter keystroke).
  // A row already in view needs nothing: the check uses the offset and viewport the virtualizer keeps
  // from its scroll and resize events, because scrollToIndex reads the container's scroll extent — a
  // forced layout of the grid after every keystroke — even when it then does not move.
  useEffect(() => {
    if (activeIndex < 0 || activeIndex >= rows.length) return
    const top = activeIndex * ROW_HEIGHT
    const offset = virtualizer.scrollOffset ?? 0
    const viewport = virtualizer.scrollRect?.height ?? 0
    if (top >= offset && top + ROW_HEIGHT <= offset + viewport) return
    virtualizer.scrollToIndex(activeIndex)
  }, [activeIndex, rows.length, virtualizer])

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 340) / ROW_HEIGHT) - 1)
    const last = rows.length - 1
    const moves: Record<string, number> = {
      ArrowDown: Math.min(activeIndex + 1, last),
      ArrowUp: Math.max(activeIndex - 1, 0),
      PageDown: Math.min(activeIndex + page, last),
      PageUp: Math.max(activeIndex - page, 0),
      Home: 0,
      End: last,
    }
    if (event.key in moves && rows.length > 0) {
      event.preventDefault()
      onActiveIndex(moves[event.key]!)
    } else if (event.key === 'Enter' && rows[activeIndex]) {
      event.preventDefault()
      onOpen(rows[activeIndex])
    }
  }

  // One handler for every row, so a row's props are only what it shows and a memoized row is skipped
  // when the grid re-renders for anything else: a click selects the row, a double click or a click on
  // the patient's name opens it.
  const onRowEvent = (event: MouseEvent, double: boolean) => {
    const row = (event.target as Element).closest('[role="row"][data-index]')
    const index = Number(row?.getAttribute('data-index'))
    const entry = rows[index]
    if (!row || !entry) return
    if (!double) onActiveIndex(index)
    if (double || (event.target as Element).closest('button.link')) onOpen(entry)
  }

  const items = virtualizer.getVirtualItems()
  const slots = Math.max(ROW_KEY_SLOTS, items.length)
  const active = rows[activeIndex]
  return (
    <div
      ref={gridRef}
      className="worklist-grid"
      role="grid"
      aria-label="Worklist"
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={active ? rowId(active) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="worklist-grid"
    >
      <div role="rowgroup" className="worklist-head">
        <div role="row" aria-rowindex={1} className="worklist-row">
          {COLUMNS.map((c) => (
            <HeaderCell key={c.id} column={c} sort={props.sort} onSort={props.onSort} />
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        className="worklist-scroll"
        role="rowgroup"
        onClick={(event) => onRowEvent(event, false)}
        onDoubleClick={(event) => onRowEvent(event, true)}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const entry = rows[item.index]!
            return (
              <Row
                key={item.index % slots}
                entry={entry}
                index={item.index}
                top={item.start}
                selected={item.index === activeIndex}
                now={props.now}
                thresholds={props.thresholds}
                draft={badges.draftKeys.has(entry.key)}
                outbox={badges.outboxStates.get(entry.key)}
                counts={badges.commentCounts.get(entry.key)}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}

const rowId = (entry: WorklistEntry) => `wl-${entry.key.replace(/[^A-Za-z0-9_-]/g, '_')}`

function HeaderCell({
  column,
  sort,
  onSort,
}: Readonly<{ column: Column; sort: SortChoice | null; onSort: (s: SortChoice | null) => void }>) {
  const sorted = sort?.column === column.id ? sort : null
  const ariaSort = sorted ? (sorted.descending ? 'descending' : 'ascending') : 'none'
  if (!column.sortable) {
    return (
      <div role="columnheader" className={`cell col-${column.id}`}>
        {column.label}
      </div>
    )
  }
  const id = column.id as SortColumn
  // Ascending → descending → back to the default (urgent first) order.
  const next = (): SortChoice | null =>
    !sorted ? { column: id, descending: false } : !sorted.descending ? { column: id, descending: true } : null
  return (
    <div role="columnheader" aria-sort={ariaSort} className={`cell col-${column.id}`}>
      <button type="button" className="sort" onClick={() => onSort(next())}>
        {column.label}
        <span aria-hidden="true">{sorted ? (sorted.descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </div>
  )
}

interface RowProps {
  readonly entry: WorklistEntry
  readonly index: number
  readonly top: number
  readonly selected: boolean
  readonly now: number
  readonly thresholds: DeadlineThresholds
  readonly draft: boolean
  readonly outbox: readonly OutboxBadge[] | undefined
  readonly counts: CommentCounts | undefined
}

/** One row, re-rendered only when what it shows changed (an arrow key re-renders two rows, not all). */
const Row = memo(function Row({
  entry,
  index,
  top,
  selected,
  now,
  thresholds,
  draft,
  outbox,
  counts,
}: RowProps) {
  const v = entry.view
  const deadline = deadlineState(entry.urgency.deadlineMs, now, thresholds)
  const age = formatAge(v.dateOfBirth, now)
  // Cut text is never lost: every cell that can be truncated says it in full as its tooltip.
  const stateLabels = [
    ...(entry.pending ? [] : ['no longer pending']),
    ...(draft ? ['draft'] : []),
    ...(outbox ?? []).map((b) => b.label),
  ]
  const noteLabels = [
    ...(counts && counts.alerts > 0 ? [`${counts.alerts} alert(s)`] : []),
    ...(counts && counts.comments > 0 ? [`${counts.comments} comment(s)`] : []),
  ]
  return (
    <div
      role="row"
      id={rowId(entry)}
      aria-rowindex={index + 2}
      data-index={index}
      aria-selected={selected}
      className={`worklist-row${selected ? ' selected' : ''}${entry.pending ? '' : ' gone'} rank-${entry.urgency.rank}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
    >
      <Cell column="priority" title={v.priority ?? undefined}>
        <span className={`priority priority-${entry.urgency.rank}`}>{v.priority ?? '—'}</span>
      </Cell>
      <Cell column="deadline" className={`deadline-${deadline}`}>
        {deadline === 'past' && <span className="visually-hidden">overdue </span>}
        {formatCountdown(entry.urgency.deadlineMs, now)}
      </Cell>
      <Cell column="name" title={entry.name}>
        <button type="button" className="link" tabIndex={-1}>
          {entry.name}
        </button>
      </Cell>
      <Cell column="age">
        {age ? `${age} · ` : ''}
        {v.dateOfBirth ?? '—'}
      </Cell>
      <Cell column="sex">{v.gender ?? '—'}</Cell>
      <Cell column="modality">{v.modality ?? '—'}</Cell>
      <Cell column="study" title={v.studyDescription ?? undefined}>
        {v.studyDescription ?? '—'}
      </Cell>
      <Cell column="site" title={v.scheduledSite ?? undefined}>
        {v.scheduledSite ?? '—'}
      </Cell>
      <Cell column="time" title={entry.siteTime}>
        {entry.siteTime}
      </Cell>
      <Cell column="domain" title={v.domain}>
        {v.domain}
      </Cell>
      <Cell column="state" title={stateLabels.join(', ') || undefined}>
        {!entry.pending && <span className="badge badge-gone">no longer pending</span>}
        {draft && (
          <span className="badge badge-draft" title="A draft of the report is saved on this workstation">
            ✎ draft
          </span>
        )}
        {outbox?.map((b) => (
          <span key={b.kind} className={`badge state-${b.state}`}>
            {b.label}
          </span>
        ))}
      </Cell>
      <Cell column="notes" title={noteLabels.join(', ') || undefined}>
        {/* Words, not an emoji: a workstation without an emoji font would show an empty box. */}
        {counts && counts.alerts > 0 && (
          <span className="badge badge-alert" title={plural(counts.alerts, 'alert')}>
            ⚠ {counts.alerts}
          </span>
        )}
        {counts && counts.comments > 0 && (
          <span className="badge badge-comment">{plural(counts.comments, 'comment')}</span>
        )}
      </Cell>
    </div>
  )
})

function Cell({
  column,
  className,
  title,
  children,
}: Readonly<{ column: Column['id']; className?: string; title?: string | undefined; children: ReactNode }>) {
  return (
    <div role="gridcell" className={`cell col-${column}${className ? ` ${className}` : ''}`} title={title}>
      {children}
    </div>
  )
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
