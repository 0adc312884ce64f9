import { invokeContract, type Envelope, type InvokeName } from '../../../src-preload/contract'
import type { CoreOnSandbox } from '../../support/core-on-sandbox'

/** Calls a capability through the real dispatcher, by name, as the renderer's transport would. */
export function call(app: CoreOnSandbox, name: InvokeName, ...args: unknown[]): Promise<Envelope> {
  return app.dispatch(invokeContract[name].channel, structuredClone(args))
}

/** The value of a successful call; fails the test with the contract error otherwise. */
export async function value<T = unknown>(
  app: CoreOnSandbox,
  name: InvokeName,
  ...args: unknown[]
): Promise<T> {
  const envelope = await call(app, name, ...args)
  if (!envelope.ok) throw new Error(`${name} failed: ${envelope.error.code} ${envelope.error.message}`)
  return envelope.value as T
}

/** Everything the core logged, as one string, for PHI greps. */
export function logText(app: CoreOnSandbox): string {
  return JSON.stringify(app.logs.records)
}
