import type { Env } from './global-options'

/** What a CLI run may touch of its process: injected so tests can run commands in-process too. */
export interface CliIo {
  readonly env: Env
  readonly cwd: string
  stdout(text: string): void
  stderr(text: string): void
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly and leave the outbox consistent. */
  readonly signal: AbortSignal
}

/**
 * The process's own streams, guarded: a result that cannot be printed (stdout on a full disk, a closed
 * pipe) must never turn an outcome that has committed — a report safely queued — into a crash and
 * exit 1, or a script sends it again under a new key. A failed stdout write is told once on stderr;
 * a failed stderr write is dropped. The exit code stays the command's.
 */
export function processIo(signal: AbortSignal): CliIo {
  let stdoutFailed = false
  const stderr = guardedWriter(process.stderr, () => undefined)
  const stdout = guardedWriter(process.stdout, (code) => {
    if (stdoutFailed) return
    stdoutFailed = true
    stderr(
      `qubs-reporter: could not write to standard output (${code}); the command's outcome and exit code stand\n`,
    )
  })
  return { env: process.env, cwd: process.cwd(), stdout, stderr, signal }
}

function guardedWriter(
  stream: NodeJS.WriteStream,
  onFailure: (code: string) => void,
): (text: string) => void {
  const fail = (error: unknown) => onFailure(errorCode(error))
  // Write errors arrive as 'error' events, which would otherwise end the process with a stack trace.
  stream.on('error', fail)
  return (text) => {
    try {
      stream.write(text, (error) => {
        if (error) fail(error)
      })
    } catch (error) {
      fail(error)
    }
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'write failed'
}

/** One line for people, or one JSON document for scripts (`--json`). */
export function printResult(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`)
}

/** A plain left-aligned table; empty cells print as "-". */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const cells = rows.map((row) =>
    row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell))),
  )
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => row[column]?.length ?? 0)),
  )
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(headers), ...cells.map(line)].join('\n')
}
