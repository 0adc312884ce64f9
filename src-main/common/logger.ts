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
    else out[key] = redactValue(value, seen, depth)
  }
  return out
}

/**
 * Values are kept only in shapes that cannot smuggle PHI past the field-name rule: an Error by name and
 * code, bytes by length, arrays and objects recursed (with cycles and depth cut), never a thrown string.
 */
function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
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
        message,
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
