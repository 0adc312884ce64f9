import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { redactFields, type Logger } from './logger'

/**
 * What main writes when it crashes. Without a handler, Node prints an uncaught exception's message and
 * stack to stderr and Electron shows them in a dialog — and an error's message may quote a report or a
 * patient's name. Here the error goes through the redacting logger (by class name and code only) and
 * into one owner-only crash file `crash-<time>.json` beside the log, then main exits with 70
 * (EX_SOFTWARE): after an uncaught exception its state cannot be trusted. An unhandled rejection is
 * logged the same way but does not exit: the promise's work failed, main's state did not.
 */
export interface CrashLoggingOptions {
  readonly process: Pick<NodeJS.EventEmitter, 'on'>
  readonly logger: Logger
  /** Where crash files go (main's log folder). */
  readonly crashDir: string
  readonly exit: (code: number) => void
  readonly now?: () => number
}

export const CRASH_EXIT_CODE = 70

export function installCrashLogging(options: Readonly<CrashLoggingOptions>): void {
  const { logger } = options
  const now = options.now ?? Date.now
  options.process.on('uncaughtException', (error: unknown) => {
    logger.error('uncaught exception in main', { error })
    writeCrashFile(options, now(), { kind: 'uncaughtException', ...redactFields({ error }) })
    options.exit(CRASH_EXIT_CODE)
  })
  options.process.on('unhandledRejection', (reason: unknown) => {
    logger.error('unhandled rejection in main', { error: reason })
  })
}

function writeCrashFile(options: Readonly<CrashLoggingOptions>, at: number, record: Record<string, unknown>) {
  try {
    mkdirSync(options.crashDir, { recursive: true, mode: 0o700 })
    const stamp = new Date(at).toISOString().replace(/[:.]/g, '-')
    writeFileSync(join(options.crashDir, `crash-${stamp}.json`), JSON.stringify({ time: at, ...record }), {
      mode: 0o600,
    })
  } catch {
    // Crashing while writing the crash file: the log line above is all there is.
  }
}
