import { describe, expect, it, vi } from 'vitest'
import {
  ContractError,
  createApiClient,
  createDispatcher,
  createEnvelopeClient,
  unwrapEnvelopes,
  type EnvelopeApi,
  encodeEvent,
  invokeContract,
  QubsIpcError,
  type ApiMethods,
  type RendererTransport,
} from '../../src-preload/contract'
import { partialApi } from '../support/partial-api'

const impl: ApiMethods = partialApi({
  getAppInfo: async () => ({
    name: 'QUBS Reporter',
    version: '1.2.3',
    mode: 'demo',
    runtime: { node: '24.0.0' },
  }),
  getConnectivity: async () => ({
    state: 'online',
    lastSuccessAt: '2026-01-01T00:00:00.000Z',
    lastAttemptAt: null,
  }),
})

/** Wires the renderer-side client straight to the main-side dispatcher, as IPC would. */
function loopback(methods: ApiMethods): RendererTransport & { listeners: Map<string, (p: unknown) => void> } {
  const dispatch = createDispatcher(methods)
  const listeners = new Map<string, (p: unknown) => void>()
  return {
    listeners,
    invoke: (channel, args) => dispatch(channel, structuredClone(args)),
    subscribe: (channel, listener) => {
      listeners.set(channel, listener)
      return () => listeners.delete(channel)
    },
  }
}

describe('IPC contract', () => {
  it('round-trips a capability through client and dispatcher', async () => {
    const api = createApiClient(loopback(impl))
    await expect(api.getAppInfo()).resolves.toMatchObject({ version: '1.2.3', mode: 'demo' })
  })

  it('refuses unknown channels and arguments outside the schema, without calling the implementation', async () => {
    const spy = vi.fn(impl.getAppInfo)
    const dispatch = createDispatcher({ ...impl, getAppInfo: spy })
    await expect(dispatch('qubs:nope', [])).resolves.toMatchObject({ ok: false, error: { code: 'refused' } })
    const answer = await dispatch(invokeContract.getAppInfo.channel, ['unexpected'])
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    expect(spy).not.toHaveBeenCalled()
  })

  it('refuses a result that is outside the contract instead of leaking it to the page', async () => {
    const leaky = {
      ...impl,
      getAppInfo: async () => ({ name: 'x', secret: 'should-not-pass' }),
    } as unknown as ApiMethods
    const answer = await createDispatcher(leaky)(invokeContract.getAppInfo.channel, [])
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-result' } })
    expect(JSON.stringify(answer)).not.toContain('should-not-pass')
  })

  it('turns deliberate ContractErrors into typed renderer errors with the server ids', async () => {
    const failing: ApiMethods = {
      ...impl,
      getConnectivity: async () => {
        throw new ContractError('network', 'QUBS could not be reached', { correlationId: 'c-1' })
      },
    }
    const api = createApiClient(loopback(failing))
    const error = await api.getConnectivity().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QubsIpcError)
    expect(error).toMatchObject({ code: 'network', correlationId: 'c-1' })
  })

  it('hides unexpected implementation errors behind a generic message and reports them to main', async () => {
    const onInternalError = vi.fn()
    const broken: ApiMethods = {
      ...impl,
      getAppInfo: async () => {
        throw new Error('patient Testpatient Alpha could not be loaded')
      },
    }
    const answer = await createDispatcher(broken, { onInternalError })(invokeContract.getAppInfo.channel, [])
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(answer)).not.toContain('Testpatient')
    expect(onInternalError).toHaveBeenCalledOnce()
  })

  it('rejects a malformed envelope from main', async () => {
    const api = createApiClient({ invoke: async () => ({ weird: true }), subscribe: () => () => undefined })
    await expect(api.getAppInfo()).rejects.toMatchObject({ code: 'invalid-result' })
  })

  it('delivers valid events and drops malformed ones', () => {
    const transport = loopback(impl)
    const api = createApiClient(transport)
    const listener = vi.fn()
    const unsubscribe = api.on('connectivityChanged', listener)
    const { channel, payload } = encodeEvent('connectivityChanged', {
      state: 'offline',
      lastSuccessAt: null,
      lastAttemptAt: null,
    })
    transport.listeners.get(channel)?.(payload)
    transport.listeners.get(channel)?.({ state: 'sideways' })
    expect(listener).toHaveBeenCalledExactlyOnceWith({
      state: 'offline',
      lastSuccessAt: null,
      lastAttemptAt: null,
    })
    unsubscribe()
    expect(transport.listeners.size).toBe(0)
  })

  it('keeps every channel under the qubs: prefix and unique', () => {
    const channels = Object.values(invokeContract).map((spec) => spec.channel)
    expect(new Set(channels).size).toBe(channels.length)
    for (const channel of channels) expect(channel.startsWith('qubs:')).toBe(true)
  })

  it("keeps an error's code across a context boundary that copies data and drops thrown errors' properties", async () => {
    const failing: ApiMethods = {
      ...impl,
      getConnectivity: async () => {
        throw new ContractError('not-found', 'Appointment A1 is not found or no longer pending reporting', {
          requestId: 'r-9',
        })
      },
    }
    // What Electron's context bridge does: values are structured-cloned; an error thrown across it
    // would keep only its message. The preload side must therefore answer, never throw.
    const preloadSide = createEnvelopeClient(loopback(failing))
    const bridged = {
      ...Object.fromEntries(
        Object.keys(invokeContract).map((name) => [
          name,
          async (...args: unknown[]) => {
            try {
              return structuredClone(
                await (
                  preloadSide[name as keyof typeof invokeContract] as (...a: unknown[]) => Promise<unknown>
                )(...args),
              )
            } catch (error) {
              throw new Error(error instanceof Error ? error.message : 'failed', { cause: error })
            }
          },
        ]),
      ),
      on: preloadSide.on,
    } as unknown as EnvelopeApi
    const error = await unwrapEnvelopes(bridged)
      .getConnectivity()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QubsIpcError)
    expect(error).toMatchObject({ code: 'not-found', requestId: 'r-9' })
  })

  it('answers an envelope, never a rejection, when the transport itself fails or the arguments are wrong', async () => {
    const envelopes = createEnvelopeClient({
      invoke: async () => {
        throw new Error('harness connection closed')
      },
      subscribe: () => () => undefined,
    })
    await expect(envelopes.getConnectivity()).resolves.toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    })
    await expect(
      (envelopes.getAppointment as (...a: unknown[]) => Promise<unknown>)(42),
    ).resolves.toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
  })
})
