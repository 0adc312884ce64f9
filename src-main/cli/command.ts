import type { ParseArgsOptionsConfig } from 'node:util'
import { QubsError, type QubsClient } from '../core/api'
import { CliError, EXIT, type ExitCode, usageError } from './cli-error'
import type { CliIo } from './cli-io'
import type { CliServices } from './cli-services'

/** One CLI command: its help text, its own options and what it does. */
export interface Command {
  readonly name: string
  readonly synopsis: string
  readonly summary: string
  /** Extra help lines shown by `<command> --help`. */
  readonly details?: string
  readonly options: ParseArgsOptionsConfig
  run(context: CommandContext): Promise<ExitCode>
}

export interface CommandContext {
  readonly io: CliIo
  readonly services: CliServices
  readonly json: boolean
  readonly positionals: readonly string[]
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>
}

/** A positional argument the command needs, or a usage error naming it. */
export function requirePositional(context: CommandContext, index: number, name: string): string {
  const value = context.positionals[index]
  if (value === undefined || value === '') throw usageError(`${name} is required`)
  return value
}

export function optionalString(context: CommandContext, name: string): string | undefined {
  const value = context.values[name]
  return typeof value === 'string' ? value : undefined
}

export function requireString(context: CommandContext, name: string): string {
  const value = optionalString(context, name)
  if (value === undefined || value === '') throw usageError(`--${name} is required`)
  return value
}

/** A number option within bounds, or a usage error naming the option (the value is not PHI). */
export function numberOption(
  context: CommandContext,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = optionalString(context, name)
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value < min || value > max)
    throw usageError(`--${name} must be a number from ${min} to ${max}`)
  return value
}

/**
 * Which domain an appointment belongs to: `DOMAIN/ID` names it; a plain `ID` needs exactly one
 * configured domain.
 */
export interface AppointmentRef {
  readonly domain: string
  readonly appointmentId: string
}

export function resolveAppointment(context: CommandContext, raw: string): AppointmentRef {
  const slash = raw.indexOf('/')
  if (slash > 0) return { domain: raw.slice(0, slash), appointmentId: raw.slice(slash + 1) }
  const { domains } = context.services.options
  if (domains.length === 1 && domains[0]) return { domain: domains[0], appointmentId: raw }
  if (domains.length === 0) throw usageError('no domain configured: pass --domain or set QUBS_DOMAIN')
  throw usageError('several domains are configured: write the appointment as DOMAIN/ID')
}

/**
 * A call about the appointment named by the first positional. The reporting endpoints answer 404
 * both for an id that never existed and for an appointment that left PENDING REPORTING (reported
 * elsewhere, cancelled): say both, with the ids support needs. `what` names a sub-resource when the
 * call is about one (an attachment).
 */
export async function askAboutAppointment<T>(
  context: CommandContext,
  ask: (client: QubsClient, target: AppointmentRef, call: { readonly signal: AbortSignal }) => Promise<T>,
  what?: string,
): Promise<T> {
  const target = resolveAppointment(context, requirePositional(context, 0, 'ID'))
  try {
    return await ask(context.services.client(), target, { signal: context.io.signal })
  } catch (error) {
    if (!(error instanceof QubsError) || error.kind !== 'http' || error.status !== 404) throw error
    const subject = `appointment ${target.domain}/${target.appointmentId}${what ? ` or its ${what}` : ''}`
    throw new CliError(
      EXIT.failed,
      `${subject} is not found or no longer pending reporting (${error.message})`,
    )
  }
}
