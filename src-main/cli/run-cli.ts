import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { QubsError } from '../core/api'
import { OutboxError } from '../core/outbox'
import { CliError, EXIT, type ExitCode, usageError } from './cli-error'
import type { CliIo } from './cli-io'
import { CliServices } from './cli-services'
import type { Command } from './command'
import { outboxCommand, syncCommand } from './commands/outbox-commands'
import {
  appointmentCommand,
  attachmentsCommand,
  checkCommand,
  commentsCommand,
  downloadCommand,
  worklistCommand,
} from './commands/read-commands'
import { sandboxCommand } from './commands/sandbox-command'
import { attachCommand, commentCommand, reportCommand } from './commands/submit-commands'
import { GLOBAL_OPTION_SPECS, resolveGlobalOptions } from './global-options'
import { describeFileError, fileErrorCode, textArgument } from './input-files'

/**
 * `qubs-reporter`: the app's engine without its window. Parses the command line, builds the core
 * services on demand and maps every failure to one stderr line and an exit code. Nothing written to
 * stderr or the log carries PHI: errors are described by kind, status and server ids.
 */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  worklistCommand,
  appointmentCommand,
  attachmentsCommand,
  commentsCommand,
  downloadCommand,
  reportCommand,
  commentCommand,
  attachCommand,
  syncCommand,
  outboxCommand,
  sandboxCommand,
]

const GLOBAL_HELP = `Global options (each may also come from the environment variable in brackets):
  --data-dir DIR         [QUBS_DATA_DIR]       outbox, settings, logs (created if missing)
  --key-file FILE        [QUBS_KEY_FILE]       data-at-rest key (default ~/.config/qubs-reporter/data.key);
                                               QUBS_DATA_KEY (64 hex characters) takes precedence
  --api-base-url URL     [QUBS_API_BASE_URL]   e.g. https://partners.qubs.io (client adds /integrations/v1)
  --token-url URL        [QUBS_TOKEN_URL]      e.g. https://authenticate.qubs.io/oauth2/token
  --client-id ID         [QUBS_CLIENT_ID]
  --client-secret SECRET [QUBS_CLIENT_SECRET]  (prefer the variable: a flag shows in the process list)
  --domain DOMAIN        [QUBS_DOMAIN]         repeatable / comma-separated
  --json                 machine-readable output on stdout
  -h, --help             help (also after a command)`

const EXIT_HELP = `Exit codes:
  0  success; report, comment and attach: delivered, or safely queued for "sync" (QUBS unreachable)
  1  failed (the message names the requestId / correlation id), or queued but needs a person:
     QUBS refused the credentials, held the entry, or no client secret was given; it IS queued, so do not run the command again
  2  usage or validation error (nothing was queued)
  3  sync --wait timed out with entries left`

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'Usage: qubs-reporter [global options] <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    EXIT_HELP,
    '',
  ].join('\n')
}

function commandHelp(command: Command): string {
  return [
    `Usage: qubs-reporter [global options] ${command.synopsis}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    GLOBAL_HELP,
    '',
    EXIT_HELP,
    '',
  ].join('\n')
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let services: CliServices | undefined
  try {
    const commandName = argv.find((arg) => !arg.startsWith('-') && !isOptionValue(argv, arg))
    const command = COMMANDS.find((c) => c.name === commandName)
    if (!command) {
      if (commandName === undefined || argv.includes('--help') || argv.includes('-h')) {
        io.stdout(usage())
        return commandName === undefined && (argv.includes('--help') || argv.includes('-h'))
          ? EXIT.ok
          : EXIT.usage
      }
      // The word is not echoed: a mistyped command line may hold patient details.
      throw usageError('unknown command; see --help')
    }
    const { values, positionals } = parseCommandLine(argv, command)
    if (values['help'] === true) {
      io.stdout(commandHelp(command))
      return EXIT.ok
    }
    const options = resolveGlobalOptions(values, io.env)
    services = new CliServices(options, { commandName: command.name })
    return await command.run({ io, services, json: options.json, positionals: positionals.slice(1), values })
  } catch (error) {
    const { code, message } = describeFailure(error)
    services?.logger.error('command failed', { code, error })
    io.stderr(`qubs-reporter: ${message}\n`)
    return code
  } finally {
    await services?.close().catch(() => undefined)
  }
}

function parseCommandLine(argv: readonly string[], command: Command) {
  const options: ParseArgsOptionsConfig = { ...GLOBAL_OPTION_SPECS, ...command.options }
  let parsed: ReturnType<typeof parseArgs<{ options: ParseArgsOptionsConfig; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (error) {
    // parseArgs names the unknown flag or the missing value; it never echoes other arguments.
    throw usageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid arguments') : 'invalid arguments',
    )
  }
  // The text rule for every word of the command line, not only --text: a clinician's name, a file
  // name or an id that Node decoded with replacement characters is refused, never sent on changed.
  for (const [name, value] of Object.entries(parsed.values)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') textArgument(item, `--${name}`)
    }
  }
  parsed.positionals.forEach((word, index) =>
    textArgument(word, index === 0 ? 'the command' : `argument ${index}`),
  )
  return parsed
}

/** Options that take a value: the word after them is that value, not the command name. */
const VALUE_FLAGS = new Set(
  Object.entries(GLOBAL_OPTION_SPECS)
    .filter(([, spec]) => spec.type === 'string')
    .map(([name]) => `--${name}`),
)
function isOptionValue(argv: readonly string[], arg: string): boolean {
  const index = argv.indexOf(arg)
  return index > 0 && VALUE_FLAGS.has(argv[index - 1] ?? '')
}

function describeFailure(error: unknown): { code: ExitCode; message: string } {
  if (error instanceof CliError) return { code: error.exitCode, message: error.message }
  if (error instanceof QubsError) {
    if (error.kind === 'validation') {
      const reasons = Object.values(error.issues).flat()
      return { code: EXIT.usage, message: `invalid input: ${reasons.join('; ') || error.message}` }
    }
    return { code: EXIT.failed, message: error.message }
  }
  if (error instanceof OutboxError) {
    // An export that could not be written says why (a missing folder, no permission), by code only.
    const cause =
      fileErrorCode(error.cause) === undefined ? '' : `: ${describeFileError(error.cause, 'write')}`
    return {
      code: error.code === 'invalid-input' ? EXIT.usage : EXIT.failed,
      message: `outbox: ${error.message}${cause}`,
    }
  }
  if (fileErrorCode(error) !== undefined) {
    return {
      code: EXIT.failed,
      message: `a file ${describeFileError(error, 'use')}; see the log in the data directory`,
    }
  }
  const name = error instanceof Error ? error.name : 'Error'
  const code = (error as { code?: unknown } | null)?.code
  return {
    code: EXIT.failed,
    message: `unexpected ${name}${typeof code === 'string' ? ` (${code})` : ''}; see the log in the data directory`,
  }
}
