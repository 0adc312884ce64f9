/**
 * HTTP-date (RFC 9110 §5.6.7) in its three forms, always GMT:
 *
 *   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT   (what servers must send)
 *   RFC 850      Sunday, 06-Nov-94 08:49:37 GMT  (obsolete, recipients must accept it)
 *   asctime      Sun Nov  6 08:49:37 1994        (obsolete, no zone: GMT by definition)
 *
 * Written out rather than left to `Date.parse`, which accepts far too much ("1", "soon 2") and reads
 * asctime in the machine's local time zone, and refuses RFC 850. Anything that is not exactly one of
 * the three forms, or names a day that does not exist, is undefined: a caller must never take an
 * unreadable date for "now".
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const SHORT_DAYS = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun'
const LONG_DAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday'
const MONTH = MONTHS.join('|')
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'

const IMF_FIXDATE = new RegExp(`^(?:${SHORT_DAYS}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`)
const RFC_850 = new RegExp(`^(?:${LONG_DAYS}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`)
const ASCTIME = new RegExp(`^(?:${SHORT_DAYS}) (${MONTH}) ( \\d|\\d{2}) ${TIME} (\\d{4})$`)

/** Milliseconds since the epoch, or undefined when `text` is not an HTTP-date. */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  const value = text.trim()
  let match = IMF_FIXDATE.exec(value)
  if (match) return utc(match[3], match[2], match[1], match[4], match[5], match[6])
  match = RFC_850.exec(value)
  if (match) {
    const year = rfc850Year(Number(match[3]), nowMs)
    return utc(String(year), match[2], match[1], match[4], match[5], match[6])
  }
  match = ASCTIME.exec(value)
  if (match) return utc(match[6], match[1], match[2], match[3], match[4], match[5])
  return undefined
}

/**
 * RFC 9110: a two-digit year that looks more than 50 years in the future is the most recent past year
 * with those last two digits.
 */
function rfc850Year(twoDigits: number, nowMs: number): number {
  const currentYear = new Date(nowMs).getUTCFullYear()
  let year = currentYear - (currentYear % 100) + twoDigits
  if (year > currentYear + 50) year -= 100
  return year
}

function utc(
  yearText: string | undefined,
  monthText: string | undefined,
  dayText: string | undefined,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
): number | undefined {
  const year = Number(yearText)
  const month = MONTHS.indexOf(monthText ?? '')
  const day = Number(dayText?.trim())
  const [hour, minute, second] = [Number(hourText), Number(minuteText), Number(secondText)]
  // 60 is a leap second, which HTTP-date allows.
  if (month < 0 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined
  const at = Date.UTC(year, month, day, hour, minute, second)
  // Date.UTC rolls 31 Feb over into March; such a date is not a date.
  if (new Date(at).getUTCDate() !== day || new Date(at).getUTCMonth() !== month) return undefined
  return at
}
