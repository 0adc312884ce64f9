import { type z } from 'zod'
import type { ApiMethods } from './api'
import { eventContract, invokeContract, type EventName, type InvokeName } from './channels'
import { type IpcError, type IpcErrorCode, IpcErrorCodeSchema } from './errors'
import type { EventPayload } from './api'

/**
 * Main's half of the contract, independent of Electron: given a channel and raw arguments, validate,
 * call the implementation, validate the result and answer with an envelope. Used by the Electron IPC
 * binding and by the browser harness's WebSocket bridge alike.
 */
export type Envelope = { ok: true; value: unknown } | { ok: false; error: IpcError }

/** Errors the implementation may throw on purpose; anything else becomes a generic `internal` error. */
export class ContractError extends Error {
  readonly code: IpcErrorCode
  readonly requestId: string | undefined
  readonly correlationId: string | undefined

  constructor(code: IpcErrorCode, message: string, ids: { requestId?: string; correlationId?: string } = {}) {
    super(message)
    this.name = 'ContractError'
    this.code = code
    this.requestId = ids.requestId
    this.correlationId = ids.correlationId
  }
}

const channelToName = new Map<string, InvokeName>(
  (Object.keys(invokeContract) as InvokeName[]).map((name) => [invokeContract[name].channel, name]),
)

export function isInvokeChannel(channel: string): boolean {
  return channelToName.has(channel)
}

export interface DispatchOptions {
  /** Told about failures that are not the caller's fault, without PHI: for the module's logger. */
  readonly onInternalError?: (name: InvokeName, error: unknown) => void
}

export function createDispatcher(impl: ApiMethods, options: Readonly<DispatchOptions> = {}) {
  return async function dispatch(channel: string, rawArgs: unknown): Promise<Envelope> {
    const name = channelToName.get(channel)
    if (!name) return fail('refused', `unknown channel ${channel}`)
    const spec = invokeContract[name]
    const args = spec.args.safeParse(rawArgs)
    if (!args.success) {
      return fail('invalid-arguments', `${name}: ${args.error.issues.map(describeIssue).join('; ')}`)
    }
    try {
      const method = impl[name] as (...a: unknown[]) => Promise<unknown>
      const value = await method(...(args.data as unknown[]))
      const result = spec.result.safeParse(value)
      if (!result.success) {
        options.onInternalError?.(name, new Error('result outside the contract'))
        return fail('invalid-result', `${name}: the result did not match the contract`)
      }
      return { ok: true, value: result.data }
    } catch (error) {
      if (error instanceof ContractError) {
        return {
          ok: false,
          error: {
            code: error.code,
            message: error.message,
            ...(error.requestId ? { requestId: error.requestId } : {}),
            ...(error.correlationId ? { correlationId: error.correlationId } : {}),
          },
        }
      }
      options.onInternalError?.(name, error)
      return fail('internal', `${name} failed unexpectedly; see the application log`)
    }
  }
}

/** Validates an event payload before main sends it, so a bug in main cannot push junk to the page. */
export function encodeEvent<K extends EventName>(event: K, payload: EventPayload<K>) {
  const spec = eventContract[event]
  return { channel: spec.channel, payload: spec.payload.parse(payload) as unknown }
}

function fail(code: IpcErrorCode, message: string): Envelope {
  return { ok: false, error: { code: IpcErrorCodeSchema.parse(code), message } }
}

// Issue messages name the path and the rule, never the offending value (it may be report text) — nor
// the page's own keys: an unknown key, or a record's key in the path, is data the page chose.
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(pathSegment).join('.') : 'arguments'
  if (issue.code === 'unrecognized_keys') return `${path}: ${issue.keys.length} unexpected field(s)`
  return `${path}: ${issue.message}`
}

const SCHEMA_KEY = /^[A-Za-z][A-Za-z0-9]{0,39}$/

function pathSegment(segment: PropertyKey): string {
  if (typeof segment === 'number') return String(segment)
  return typeof segment === 'string' && SCHEMA_KEY.test(segment) ? segment : '?'
}
