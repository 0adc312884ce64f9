import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { LogSink } from './logger'

/**
 * JSON lines appended to a log file (the CLI's `<data dir>/logs/cli.log`), owner-only. The logger has
 * already removed PHI fields. A write may throw (ENOSPC, EIO, EACCES): the logger that calls this sink
 * guards it, counts the failure and carries on, so a full disk never turns a committed outcome into a
 * reported failure.
 */
export function fileSink(path: string): LogSink {
  let ready = false
  return (record) => {
    if (!ready) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
      ready = true
    }
    appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 })
  }
}
