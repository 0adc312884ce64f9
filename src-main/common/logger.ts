/**
 * A named logger per module. Log records are structured: a fixed message plus fields. Fields whose
 * names suggest PHI or secrets are replaced before the record reaches any sink, and free text from
 * the server or the person is never interpolated into messages — only ids, codes, counts and states.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface LogRecord {
  readonly time: string
  readonly level: LogLevel
  readonly module: string
  readonly message: string
  readonly fields: Readonly<Record<string, unknown>>
}

export type LogSink = (record: LogRecord) => void

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  child(module: string): Logger
  /** Log writes that failed so far, in this logger and every logger of its family (parent, children). */
  readonly failedWrites: number
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

// Matched against field names, case-insensitively. Deliberately broad: a false positive costs a
// redacted field in a log; a false negative leaks a patient's details.
const SENSITIVE_FIELD =
  /(patient|name|birth|dob|text|report(?!ed)|comment|clinical|secret|token|password|authorization|body|payload|content|email|key$|detail|message|finding|impression|description|note)/i
const ALLOWED_FIELD =
  /^(module|state|status|code|count|attempts?|entryId|appointmentId|domain|requestId|correlationId|idempotencyKey|durationMs|retryInMs|kind|method|route|port|url|reason|errorName|errorCode|channel)$/

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactObject(fields, new WeakSet(), 0)
}

/**
 * Free text cannot be told apart from PHI, so a string value survives only in shapes that cannot hold a
 * name, a date of birth or a sentence: an identifier-like token (no spaces, at most 200 characters) that
 * holds no calendar date. A date anywhere in a value is withheld even under an allowed name — a DOB looks
 * like any other date.
 */
const IDENTIFIER_LIKE = /^[\w.:/@+#=~-]{0,200}$/
const DATE_LIKE = /(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})|(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})/

const ALREADY_REDACTED = /^\[(redacted( \d+ chars| date)?|binary \d+ bytes|circular|too deep)\]$/

function redactString(key: string, value: string): string {
  if (ALREADY_REDACTED.test(value)) return value
  if (DATE_LIKE.test(value) && !ISO_INSTANT.test(value)) return '[redacted date]'
  if (ALLOWED_FIELD.test(key)) return value
  return IDENTIFIER_LIKE.test(value) ? value : `[redacted ${value.length} chars]`
}

// A full instant with a time of day (`2026-01-01T10:00:00.000Z`) is a log time, not a birth date.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * Fields from an untrusted source (the renderer): only values under the allowed names (codes, states,
 * ids, counts) keep their strings; every other string is withheld, whatever its shape, since a page
 * may put a token or a name under any name it likes.
 */
export function redactUntrustedFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(redactFields(fields))) {
    out[key] =
      typeof value === 'string' && !ALLOWED_FIELD.test(key) ? `[redacted ${value.length} chars]` : value
  }
  return out
}

/**
 * A record's message must be a constant written in the code ("entry held"): lowercase words, acronyms
 * (URL, QUBS), spaces and punctuation, no digits. Anything else was built from data — an interpolated
 * name, a date, an error's message — and is withheld, so a careless call cannot leak through it.
 */
const CONSTANT_MESSAGE = /^(?:[a-z]+|[A-Z]{2,6}s?|[ ,.;:()'/_-])+$/
export const WITHHELD_MESSAGE = '[message withheld: not a constant]'

export function safeMessage(message: string): string {
  return message.length <= 200 && CONSTANT_MESSAGE.test(message) ? message : WITHHELD_MESSAGE
}

const MAX_DEPTH = 6

function redactObject(
  fields: Record<string, unknown>,
  seen: WeakSet<object>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!ALLOWED_FIELD.test(key) && SENSITIVE_FIELD.test(key)) out[key] = '[redacted]'
    // A URL's query may carry a presigned signature: keep where it points, not how it is signed.
    else if (key === 'url' && typeof value === 'string') out[key] = value.split(/[?#]/)[0]
    else if (typeof value === 'string') out[key] = redactString(key, value)
    else out[key] = redactValue(value, seen, depth)
  }
  return out
}

/**
 * Values are kept only in shapes that cannot smuggle PHI past the field-name rule: an Error by name and
 * code, bytes by length, arrays and objects recursed (with cycles and depth cut), never a thrown string.
 */
function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactString('', value)
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Error) {
    // An error's message may quote a server's detail or a file path with a name in it.
    const code = (value as { code?: unknown }).code
    return {
      errorName: value.name,
      ...(typeof code === 'string' && /^[A-Z0-9_-]{1,40}$/i.test(code) ? { errorCode: code } : {}),
    }
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`
  if (seen.has(value)) return '[circular]'
  if (depth >= MAX_DEPTH) return '[too deep]'
  seen.add(value)
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen, depth + 1))
  return redactObject(value as Record<string, unknown>, seen, depth + 1)
}

export interface LoggerOptions {
  readonly sink: LogSink
  readonly level?: LogLevel
  readonly now?: () => number
  /**
   * Where the first failed log write is told, once per logger family: one line, PHI-free (an error
   * code). Default: one line on stderr.
   */
  readonly onWriteFailure?: (line: string) => void
}

/**
 * Logging is never allowed to fail a caller: a sink that throws (ENOSPC from a full disk, EPIPE, a bug)
 * after a COMMIT once made a queued report look failed, and the person sent it again. So every record
 * is written under a guard; a failure is counted (readable as `failedWrites`) and told once — not per
 * record, which would flood the very channel that still works.
 */
class WriteFailures {
  count = 0
  readonly #tell: (line: string) => void

  constructor(tell: (line: string) => void) {
    this.#tell = tell
  }

  record(error: unknown): void {
    this.count += 1
    if (this.count !== 1) return
    try {
      this.#tell(`log writes are failing (${this.count} so far): ${failureCode(error)}`)
    } catch {
      // The alarm channel is broken as well: the count stays readable, nothing else can be done.
    }
  }
}

/** An errno-style code (ENOSPC) or the error's class name: never its message, which may quote a path. */
function failureCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code
  return error instanceof Error && /^\w{1,40}$/.test(error.name) ? error.name : 'unknown'
}

const stderrLine = (line: string) => {
  process.stderr.write(`${line}\n`)
}

export function createLogger(module: string, options: Readonly<LoggerOptions>): Logger {
  return familyLogger(module, options, new WriteFailures(options.onWriteFailure ?? stderrLine))
}

function familyLogger(module: string, options: Readonly<LoggerOptions>, failures: WriteFailures): Logger {
  const minimum = LEVEL_ORDER[options.level ?? 'info']
  const now = options.now ?? Date.now
  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LEVEL_ORDER[level] < minimum) return
    try {
      options.sink({
        time: new Date(now()).toISOString(),
        level,
        module,
        message: safeMessage(message),
        fields: redactFields(fields),
      })
    } catch (error) {
      failures.record(error)
    }
  }
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (name) => familyLogger(`${module}/${name}`, options, failures),
    get failedWrites() {
      return failures.count
    },
  }
}

/** JSON lines on stderr: for the CLI and the sandbox when run by hand. */
export const stderrSink: LogSink = (record) => {
  process.stderr.write(`${JSON.stringify(record)}\n`)
}

/** Collects records in memory: for tests that assert on what was (not) logged. */
export function memorySink(): LogSink & { readonly records: LogRecord[] } {
  const records: LogRecord[] = []
  const sink = ((record: LogRecord) => {
    records.push(record)
  }) as LogSink & { records: LogRecord[] }
  sink.records = records
  return sink
}

export const silentLogger: Logger = createLogger('silent', { sink: () => undefined, level: 'error' })
