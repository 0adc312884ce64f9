/**
 * Exit codes of `qubs-reporter` (documented in --help): 0 success (a submission delivered or safely
 * queued), 1 the operation failed (the message names the requestId / correlation id) or a submission
 * is queued but needs a person, 2 usage or validation error (nothing was queued), 3 `sync --wait`
 * timed out with entries left.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 3 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A failure the CLI reports as one line on stderr and an exit code. Messages never carry PHI. */
export class CliError extends Error {
  readonly exitCode: ExitCode

  constructor(exitCode: ExitCode, message: string) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message)
