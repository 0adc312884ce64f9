import type { WorklistRow } from '../../db/database'
import type { CachedWorklistItem, FirstScreen } from '../../db/worklist-cache'
import { parseInstant } from '../../ui/time-format'
import { compareUrgency, priorityRank, type UrgencyKey } from './priority'
import { matchesSelectFilters, type SelectFilters } from './visible-rows'

/**
 * Rows a cold start opens before showing the list: more than a tall screen shows (a portrait 4K
 * monitor shows about 60 rows of 34 px), so the first screen and a page down need nothing more.
 */
export const FIRST_SCREEN_ROWS = 100

/**
 * The first screen in the default order (priority, then deadline) from the clear index fields, within
 * the remembered select filters (modality, site, priority, domain: all clear). The appointment time,
 * the last tie-break, is sealed: rows tied on priority and deadline all count as first-screen rows.
 */
export function defaultOrderFirstScreen(
  filters: SelectFilters,
  onFirstScreen: (items: CachedWorklistItem[], remaining: number) => void,
): FirstScreen {
  // Each row's key once, not once per comparison of the sort.
  const keys = new WeakMap<WorklistRow, UrgencyKey>()
  const keyOf = (row: WorklistRow) => {
    let key = keys.get(row)
    if (!key) {
      key = { rank: priorityRank(row.priority), deadlineMs: parseInstant(row.reportNeededBy), localStart: '' }
      keys.set(row, key)
    }
    return key
  }
  return {
    rows: FIRST_SCREEN_ROWS,
    compare: (a, b) => compareUrgency(keyOf(a), keyOf(b)),
    include: (row) => matchesSelectFilters(row, filters),
    onFirstScreen,
    yieldToPage,
  }
}

/**
 * After the next frame (the first screen painted), or after a short wait where no frame comes (a
 * hidden window, tests): never blocks the load on a frame that is not drawn.
 */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 50)
    if (typeof requestAnimationFrame === 'function')
      requestAnimationFrame(() => {
        clearTimeout(timer)
        setTimeout(resolve, 0)
      })
  })
}
