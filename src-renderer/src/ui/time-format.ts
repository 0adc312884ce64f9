/**
 * Dates and times as a radiologist reads them. Appointment times are wall-clock times at the scheduled
 * site, so they are shown in the site's own zone with its abbreviation, never converted to the
 * workstation's zone; deadlines are UTC instants shown as a countdown.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?/

/**
 * Formatters are costly to build (the worklist froze for seconds building three per row), so each
 * kind is built once per zone and kept: the key space is the handful of site zones, not the rows.
 */
function formatterCache(make: (timeZone: string) => Intl.DateTimeFormat) {
  // An unknown zone is remembered too (as its RangeError), so a bad zone costs one attempt, not one a row.
  const byZone = new Map<string, Intl.DateTimeFormat | RangeError>()
  return (timeZone: string): Intl.DateTimeFormat => {
    let formatter = byZone.get(timeZone)
    if (!formatter) {
      try {
        formatter = make(timeZone)
      } catch (error) {
        if (!(error instanceof RangeError)) throw error
        formatter = error
      }
      byZone.set(timeZone, formatter)
    }
    if (formatter instanceof RangeError) throw formatter
    return formatter
  }
}

/** A memo that forgets everything once it holds `limit` values, so a long session stays bounded. */
function boundedMemo<T>(limit: number) {
  const values = new Map<string, T>()
  return (key: string, compute: () => T): T => {
    const known = values.get(key)
    if (known !== undefined) return known
    const value = compute()
    if (values.size >= limit) values.clear()
    values.set(key, value)
    return value
  }
}

const wallClockParts = formatterCache(
  (timeZone) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
)
const zoneNames = formatterCache(
  (timeZone) => new Intl.DateTimeFormat('en-AU', { timeZone, timeZoneName: 'short' }),
)
const instantParts = formatterCache(
  (timeZone) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
)
const MEMO_LIMIT = 20_000
// Offsets change only on whole minutes, so one answer per zone and minute is exact.
const offsetMemo = boundedMemo<number>(MEMO_LIMIT)
const siteTimeMemo = boundedMemo<string>(MEMO_LIMIT)

/** The zone's offset from UTC at `instantMs`, in ms (positive east of Greenwich). */
function zoneOffsetMs(timeZone: string, instantMs: number): number {
  const minute = Math.floor(instantMs / 60_000)
  return offsetMemo(`${timeZone}|${minute}`, () => {
    const parts = wallClockParts(timeZone).formatToParts(new Date(minute * 60_000))
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
    return asUtc - minute * 60_000
  })
}

/** The instant of a wall-clock time at a site, or null when the date/time/zone cannot be read. */
export function siteLocalInstant(date: string | null, time: string | null, timeZone: string | null) {
  const d = date ? DATE.exec(date) : null
  if (!d || !timeZone) return null
  const t = time ? TIME.exec(time) : null
  const wall = Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, t ? +t[1]! : 0, t ? +t[2]! : 0, t?.[3] ? +t[3] : 0)
  try {
    // Two passes settle the offset across a daylight-saving change.
    const first = wall - zoneOffsetMs(timeZone, wall)
    return wall - zoneOffsetMs(timeZone, first)
  } catch {
    return null
  }
}

/** The zone's short name at that instant (AEDT, GMT+10…); falls back to the IANA id. */
export function zoneAbbreviation(timeZone: string, instantMs: number): string {
  try {
    const parts = zoneNames(timeZone).formatToParts(new Date(instantMs))
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone
  } catch {
    return timeZone
  }
}

/** `2026-12-01 09:30 AEDT`; without a known zone the site-local time is labelled as such. */
export function formatSiteTime(date: string | null, time: string | null, timeZone: string | null): string {
  if (!date) return '—'
  // Worklists repeat the same slots (same day, same quarter hour, same site) thousands of times.
  return siteTimeMemo(`${timeZone ?? ''}|${date}|${time ?? ''}`, () => siteTimeText(date, time, timeZone))
}

function siteTimeText(date: string, time: string | null, timeZone: string | null): string {
  const hhmm = time ? (TIME.exec(time)?.slice(1, 3).join(':') ?? '') : ''
  const base = hhmm ? `${date} ${hhmm}` : date
  const instant = siteLocalInstant(date, time, timeZone)
  return instant !== null && timeZone
    ? `${base} ${zoneAbbreviation(timeZone, instant)}`
    : `${base} (site time)`
}

/**
 * A UTC instant (a deadline) as wall-clock time in a zone — the site's when known, so it reads like
 * the appointment times beside it — with the zone named: `2026-11-30 14:00 ACDT`.
 */
export function formatInstantIn(instantMs: number | null, timeZone: string | null): string {
  if (instantMs === null) return '—'
  const zone = timeZone ?? 'UTC'
  try {
    const parts = instantParts(zone).formatToParts(new Date(instantMs))
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zoneAbbreviation(zone, instantMs)}`
  } catch {
    return new Date(instantMs).toISOString()
  }
}

/** Age on `nowMs` from a yyyy-MM-dd DOB: years, or months under two, or days under a month. */
export function formatAge(dateOfBirth: string | null, nowMs: number): string {
  const d = dateOfBirth ? DATE.exec(dateOfBirth) : null
  if (!d) return ''
  const now = new Date(nowMs)
  const [y, m, day] = [+d[1]!, +d[2]!, +d[3]!]
  let months = (now.getUTCFullYear() - y) * 12 + (now.getUTCMonth() + 1 - m)
  if (now.getUTCDate() < day) months--
  if (months < 0) return ''
  if (months >= 24) return `${Math.floor(months / 12)}y`
  if (months >= 1) return `${months}m`
  const days = Math.floor((nowMs - Date.UTC(y, m - 1, day)) / 86_400_000)
  return `${Math.max(days, 0)}d`
}

/** `near` is amber, `urgent` red before the deadline, `past` red and overdue. */
export type DeadlineState = 'none' | 'ok' | 'near' | 'urgent' | 'past'

/** The person's `settings.worklist`. */
export interface DeadlineThresholds {
  /** Minutes before the deadline from which the countdown turns amber. */
  readonly amberMinutes: number
  /** Minutes before the deadline from which it turns red (fewer than amber). */
  readonly redMinutes: number
}

export function deadlineState(
  deadlineMs: number | null,
  nowMs: number,
  thresholds: DeadlineThresholds,
): DeadlineState {
  if (deadlineMs === null) return 'none'
  const left = deadlineMs - nowMs
  if (left < 0) return 'past'
  if (left <= thresholds.redMinutes * 60_000) return 'urgent'
  return left <= thresholds.amberMinutes * 60_000 ? 'near' : 'ok'
}

/** `2h 05m`, `3d 4h`; past the deadline `−1h 10m` (shown red, and named "overdue" to assistive tools). */
export function formatCountdown(deadlineMs: number | null, nowMs: number): string {
  if (deadlineMs === null) return '—'
  const left = deadlineMs - nowMs
  const minutes = Math.floor(Math.abs(left) / 60_000)
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const mins = minutes % 60
  const text = days > 0 ? `${days}d ${hours}h` : `${hours}h ${String(mins).padStart(2, '0')}m`
  return left < 0 ? `\u2212${text}` : text
}

export function parseInstant(iso: string | null): number | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

/** A person's name from QUBS's parts. */
export function displayName(v: {
  readonly patientName: string | null
  readonly firstName: string | null
  readonly lastName: string | null
}): string {
  if (v.lastName || v.firstName) return [v.lastName?.toUpperCase(), v.firstName].filter(Boolean).join(', ')
  return v.patientName ?? '(no name)'
}
