import type { Api, ApiMethods, EventPayload, InvokeArgs, InvokeResult, Unsubscribe } from './api'
import { eventContract, invokeContract, type EventName, type InvokeName } from './channels'
import { IpcErrorSchema, QubsIpcError, envelopeSchema, type IpcError } from './errors'

/**
 * How the renderer side reaches main. In Electron this is `ipcRenderer` (see `src-preload/index.ts`);
 * in the browser harness it is a WebSocket. Either way the client below validates arguments before
 * they leave the page and turns `{ ok: false }` envelopes into `QubsIpcError`s.
 */
export interface RendererTransport {
  invoke(channel: string, args: readonly unknown[]): Promise<unknown>
  subscribe(channel: string, listener: (payload: unknown) => void): Unsubscribe
}

/** What one capability answers across a context boundary: data, never a thrown error. */
export type InvokeEnvelope<K extends InvokeName> =
  { readonly ok: true; readonly value: InvokeResult<K> } | { readonly ok: false; readonly error: IpcError }

/**
 * `window.qubs` as the preload (and the harness) expose it: one function per capability that always
 * resolves to an envelope, and `on`. Errors must not be thrown across Electron's context bridge: it
 * copies a thrown Error's message and drops every other property, so the renderer would lose the
 * error's `code` (not-found, auth, validation…). The page turns envelopes into `QubsIpcError`s in its
 * own world with `unwrapEnvelopes`.
 */
export type EnvelopeApi = {
  readonly [K in InvokeName]: (...args: InvokeArgs<K>) => Promise<InvokeEnvelope<K>>
} & {
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): Unsubscribe
}

export function createEnvelopeClient(transport: RendererTransport): EnvelopeApi {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const name of Object.keys(invokeContract) as InvokeName[]) {
    const spec = invokeContract[name]
    const envelope = envelopeSchema(spec.result)
    methods[name] = async (...args: unknown[]) => {
      const parsedArgs = spec.args.safeParse(args)
      if (!parsedArgs.success) {
        return failure(
          'invalid-arguments',
          `${name}: ${parsedArgs.error.issues.map((issue) => issue.message).join('; ')}`,
        )
      }
      let raw: unknown
      try {
        raw = await transport.invoke(spec.channel, parsedArgs.data)
      } catch {
        return failure('unavailable', `${name}: the application core could not be reached`)
      }
      const answer = envelope.safeParse(raw)
      return answer.success
        ? answer.data
        : failure('invalid-result', `${name}: main answered outside the contract`)
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

  return Object.freeze({ ...(methods as unknown as Omit<EnvelopeApi, 'on'>), on })
}

/**
 * The page's `Api` over an `EnvelopeApi`: a failed envelope becomes a `QubsIpcError` thrown here, in
 * the page's own world, so its code and ids survive. An answer that is not an envelope is refused.
 */
export function unwrapEnvelopes(source: EnvelopeApi): Api {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const name of Object.keys(invokeContract) as InvokeName[]) {
    const call = source[name] as unknown as (...args: unknown[]) => Promise<unknown>
    methods[name] = async (...args: unknown[]) => {
      const answer = (await call(...args)) as { ok?: unknown; value?: unknown; error?: unknown } | null
      if (answer?.ok === true) return answer.value
      const error = IpcErrorSchema.safeParse(answer?.error)
      throw new QubsIpcError(
        error.success
          ? error.data
          : { code: 'invalid-result', message: `${name}: not an answer of the contract` },
      )
    }
  }
  return Object.freeze({
    ...(methods as unknown as ApiMethods),
    on: (event, listener) => source.on(event, listener),
  } as Api)
}

/** The throwing `Api` straight over a transport (tests, Node-side callers). */
export function createApiClient(transport: RendererTransport): Api {
  return unwrapEnvelopes(createEnvelopeClient(transport))
}

function failure(code: IpcError['code'], message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } }
}
