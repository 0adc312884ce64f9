import type { Api, ApiMethods, EventPayload, Unsubscribe } from './api'
import { eventContract, invokeContract, type EventName, type InvokeName } from './channels'
import { QubsIpcError, envelopeSchema } from './errors'

/**
 * How the renderer side reaches main. In Electron this is `ipcRenderer` (see `src-preload/index.ts`);
 * in the browser harness it is a WebSocket. Either way the client below validates arguments before
 * they leave the page and turns `{ ok: false }` envelopes into `QubsIpcError`s.
 */
export interface RendererTransport {
  invoke(channel: string, args: readonly unknown[]): Promise<unknown>
  subscribe(channel: string, listener: (payload: unknown) => void): Unsubscribe
}

export function createApiClient(transport: RendererTransport): Api {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const name of Object.keys(invokeContract) as InvokeName[]) {
    const spec = invokeContract[name]
    const envelope = envelopeSchema(spec.result)
    methods[name] = async (...args: unknown[]) => {
      const parsedArgs = spec.args.safeParse(args)
      if (!parsedArgs.success) {
        throw new QubsIpcError({
          code: 'invalid-arguments',
          message: `${name}: ${parsedArgs.error.issues.map((issue) => issue.message).join('; ')}`,
        })
      }
      const answer = envelope.safeParse(await transport.invoke(spec.channel, parsedArgs.data))
      if (!answer.success) {
        throw new QubsIpcError({
          code: 'invalid-result',
          message: `${name}: main answered outside the contract`,
        })
      }
      if (!answer.data.ok) throw new QubsIpcError(answer.data.error)
      return answer.data.value
    }
  }

  const on = <K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): Unsubscribe => {
    const spec = Object.hasOwn(eventContract, event) ? eventContract[event] : undefined
    if (!spec) throw new QubsIpcError({ code: 'invalid-arguments', message: 'unknown event' })
    return transport.subscribe(spec.channel, (raw) => {
      const payload = spec.payload.safeParse(raw)
      // A malformed event is dropped rather than handed to UI code that trusts its type.
      if (payload.success) listener(payload.data as EventPayload<K>)
    })
  }

  return Object.freeze({ ...(methods as unknown as ApiMethods), on })
}
