import * as nodeFs from 'node:fs'
import { dirname } from 'node:path'
import type { LogSink } from './logger'

/**
 * JSON lines in a file that rotates by size: `main.log` is written until the next line would pass
 * `maxBytes`, then `main.log.1` … `main.log.<maxFiles-1>` shift up by one (the oldest is dropped) and a
 * fresh `main.log` begins — so a looping error costs at most `maxBytes × maxFiles` of disk. Files are
 * owner-only (0600, the folder 0700) even when they existed before with a wider mode.
 *
 * Records reach this sink already redacted by the logger. A write may throw (ENOSPC, EIO, EACCES): the
 * logger calling the sink guards it, counts it and carries on; a failed rotation loses that one line
 * and is tried again with the next.
 */
export interface RotatingFileSinkOptions {
  readonly path: string
  /** Default 5 MB. */
  readonly maxBytes?: number
  /** Files kept in all, the current one included. Default 5. */
  readonly maxFiles?: number
  /** The file system, for tests of a failing disk. Default node:fs. */
  readonly fs?: RotatingFs
}

export type RotatingFs = Pick<
  typeof nodeFs,
  'appendFileSync' | 'chmodSync' | 'mkdirSync' | 'renameSync' | 'rmSync' | 'statSync'
>

export const DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024
export const DEFAULT_LOG_MAX_FILES = 5

export function rotatingFileSink(options: Readonly<RotatingFileSinkOptions>): LogSink {
  const fs = options.fs ?? nodeFs
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_LOG_MAX_FILES)
  const { path } = options
  let size: number | null = null

  const open = (): number => {
    fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    try {
      const existing = fs.statSync(path).size
      fs.chmodSync(path, 0o600)
      return existing
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return 0
      throw error
    }
  }

  const rotate = (): void => {
    fs.rmSync(`${path}.${maxFiles - 1}`, { force: true })
    for (let index = maxFiles - 2; index >= 1; index -= 1) {
      try {
        fs.renameSync(`${path}.${index}`, `${path}.${index + 1}`)
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw error
      }
    }
    if (maxFiles > 1) fs.renameSync(path, `${path}.1`)
    else fs.rmSync(path, { force: true })
  }

  return (record) => {
    const line = `${JSON.stringify(record)}\n`
    const bytes = Buffer.byteLength(line)
    size ??= open()
    if (size > 0 && size + bytes > maxBytes) {
      rotate()
      size = 0
    }
    fs.appendFileSync(path, line, { mode: 0o600 })
    size += bytes
  }
}
