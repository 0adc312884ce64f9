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

export function processIo(signal: AbortSignal): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signal,
  }
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
