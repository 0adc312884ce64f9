/**
 * How urgent an appointment is, from QUBS's free-text priority (the sandbox and QUBS use `STAT`,
 * `Urgent`, `Semi-urgent`, `Routine`; sites add their own spellings). Lower rank = more urgent. The
 * default worklist order is rank, then report-needed-by deadline (none last), then appointment time.
 */
export const PRIORITY_RANK = { stat: 0, urgent: 1, semiUrgent: 2, routine: 3, unknown: 4 } as const

export function priorityRank(priority: string | null): number {
  const p = (priority ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
  if (p === '') return PRIORITY_RANK.unknown
  if (/^(stat|emergency|immediate|critical|asap)\b/.test(p)) return PRIORITY_RANK.stat
  if (/^semi-?urgent/.test(p)) return PRIORITY_RANK.semiUrgent
  if (/^(urgent|high|priority)\b/.test(p)) return PRIORITY_RANK.urgent
  if (/^(routine|normal|standard|low|elective)\b/.test(p)) return PRIORITY_RANK.routine
  return PRIORITY_RANK.unknown
}

/** The fields the default order looks at, precomputed once per row. */
export interface UrgencyKey {
  readonly rank: number
  /** Epoch ms of report-needed-by, or null. */
  readonly deadlineMs: number | null
  /** `yyyy-MM-dd HH:mm:ss` site-local, or '' (sorts after every real time). */
  readonly localStart: string
}

export function compareUrgency(a: UrgencyKey, b: UrgencyKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank
  if (a.deadlineMs !== b.deadlineMs) {
    if (a.deadlineMs === null) return 1
    if (b.deadlineMs === null) return -1
    return a.deadlineMs - b.deadlineMs
  }
  if (a.localStart === b.localStart) return 0
  if (a.localStart === '') return 1
  if (b.localStart === '') return -1
  return a.localStart < b.localStart ? -1 : 1
}
