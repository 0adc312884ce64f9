import type { RendererLog } from '../../../src-preload/contract'
import { getBridge } from './index'

/**
 * The renderer's logger: records go to main's rotating file log (`logFromRenderer`), never to the
 * console, where a screenshot or a support session could read them. Messages are constants written in
 * the code ("page render failed"); details go in a few scalar fields — an error by its name and code,
 * never its message, which may quote a patient's details. Logging never throws and never waits: a
 * failure to log (main gone, bridge missing) is dropped.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>

export interface RendererLogger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

const MAX_FIELDS = 8
const MAX_TEXT = 200

/** A named logger per renderer module, e.g. `createRendererLogger('attachments/pdf')`. */
export function createRendererLogger(scope: string): RendererLogger {
  const write = (level: RendererLog['level'], message: string, fields?: LogFields) => {
    try {
      const record: RendererLog = { level, scope, message: message.slice(0, MAX_TEXT) }
      const scalar = scalarFields(fields)
      void getBridge()
        .logFromRenderer(scalar ? { ...record, fields: scalar } : record)
        .catch(() => undefined)
    } catch {
      // No bridge (a test page, a closing window): the record is lost, the caller carries on.
    }
  }
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  }
}

/** An error as fields: its class name and, when it has one, its code — never its message. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { errorName: typeof error }
  const code = (error as { code?: unknown }).code
  return { errorName: error.name, ...(typeof code === 'string' ? { errorCode: code.slice(0, 40) } : {}) }
}

function scalarFields(fields: LogFields | undefined): RendererLog['fields'] {
  if (!fields) return undefined
  const out: Record<string, string | number | boolean | null> = {}
  for (const [key, value] of Object.entries(fields).slice(0, MAX_FIELDS)) {
    if (value === undefined || !/^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key)) continue
    if (typeof value === 'number' && !Number.isFinite(value)) continue
    out[key] = typeof value === 'string' ? value.slice(0, MAX_TEXT) : value
  }
  return out
}

/**
 * Errors nobody caught (a failed promise, a throw in an event handler) are logged, not lost: installed
 * once at start. Returns the uninstaller, for tests.
 */
export function installGlobalErrorLogging(target: Pick<Window, 'addEventListener' | 'removeEventListener'>) {
  const logger = createRendererLogger('window')
  const onError = (event: ErrorEvent) => logger.error('uncaught error in the page', errorFields(event.error))
  const onRejection = (event: PromiseRejectionEvent) =>
    logger.error('unhandled rejection in the page', errorFields(event.reason))
  target.addEventListener('error', onError)
  target.addEventListener('unhandledrejection', onRejection)
  return () => {
    target.removeEventListener('error', onError)
    target.removeEventListener('unhandledrejection', onRejection)
  }
}
