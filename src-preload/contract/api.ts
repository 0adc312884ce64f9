import type { z } from 'zod'
import { eventContract, invokeContract, type EventName, type InvokeName } from './channels'

type Contract = typeof invokeContract
type Events = typeof eventContract

/** Arguments as the caller may write them (before zod defaults/transforms). */
export type InvokeArgs<K extends InvokeName> = z.input<Contract[K]['args']>
export type InvokeResult<K extends InvokeName> = z.output<Contract[K]['result']>
export type EventPayload<K extends EventName> = z.output<Events[K]['payload']>

export type Unsubscribe = () => void

/**
 * What `window.qubs` offers the renderer: one async function per capability plus `on` for events.
 * Main implements the capability half (without `on`) in `src-main/core/app-core.ts`.
 */
export type ApiMethods = {
  readonly [K in InvokeName]: (...args: InvokeArgs<K>) => Promise<InvokeResult<K>>
}

export type Api = ApiMethods & {
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): Unsubscribe
}

export const invokeNames = Object.keys(invokeContract) as InvokeName[]
export const eventNames = Object.keys(eventContract) as EventName[]
