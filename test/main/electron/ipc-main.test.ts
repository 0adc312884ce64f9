import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { bindIpc } from '../../../src-main/electron/ipc-main'
import { createTrustedUrlCheck } from '../../../src-main/electron/trusted-url'
import { invokeContract, type ApiMethods } from '../../../src-preload/contract'
import { partialApi } from '../../support/partial-api'

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>

/** A stand-in for ipcMain that records handlers, so the binding runs under plain Node. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  const ipcMain = {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMain
  return { ipcMain, handlers }
}

const APP_URL = 'app://reporter/index.html'
const impl: ApiMethods = partialApi({
  getAppInfo: async () => ({
    name: 'QUBS Reporter',
    version: '1.0.0',
    mode: 'demo',
    runtime: { node: '24' },
  }),
  getConnectivity: async () => ({ state: 'online', lastSuccessAt: null, lastAttemptAt: null }),
})

function event(options: { contentsId?: number; url?: string; subFrame?: boolean; noFrame?: boolean } = {}) {
  const frame = options.noFrame ? null : { url: options.url ?? APP_URL, parent: options.subFrame ? {} : null }
  return { sender: { id: options.contentsId ?? 1 }, senderFrame: frame } as unknown as IpcMainInvokeEvent
}

function bind() {
  const { ipcMain, handlers } = fakeIpcMain()
  const sink = memorySink()
  const spy = vi.fn(impl.getAppInfo)
  const unbind = bindIpc({
    ipcMain,
    impl: { ...impl, getAppInfo: spy },
    logger: createLogger('ipc', { sink }),
    isTrustedUrl: createTrustedUrlCheck({ devServerUrl: undefined, isPackaged: true }),
    isOurWebContents: (contents) => contents.id === 1,
  })
  const call = (e: IpcMainInvokeEvent, args: unknown = [], ...rest: unknown[]) =>
    handlers.get(invokeContract.getAppInfo.channel)!(e, args, ...rest)
  return { handlers, sink, spy, unbind, call }
}

describe('IPC binding (main side)', () => {
  it('registers one handler per capability and removes them on unbind', () => {
    const { handlers, unbind } = bind()
    expect([...handlers.keys()].sort()).toEqual(
      Object.values(invokeContract)
        .map((c) => c.channel)
        .sort(),
    )
    unbind()
    expect(handlers.size).toBe(0)
  })

  it('answers our own top-level renderer', async () => {
    const { call } = bind()
    await expect(call(event())).resolves.toMatchObject({ ok: true, value: { version: '1.0.0' } })
  })

  it.each([
    ['a window we did not create', { contentsId: 2 }, 'sender is not a window of this application'],
    ['a sub-frame', { subFrame: true }, 'sender is a sub-frame, not the top-level document'],
    [
      'a page that is not ours',
      { url: 'https://example.invalid/' },
      'sender frame shows a page that is not the application',
    ],
    [
      'a file:// page, even the built renderer',
      { url: 'file:///app/out/renderer/index.html' },
      'sender frame shows a page that is not the application',
    ],
    ['a destroyed frame', { noFrame: true }, 'sender frame is gone (navigated or destroyed)'],
  ])('refuses %s, says why, and never calls the core', async (_name, options, reason) => {
    const { call, sink, spy } = bind()
    await expect(call(event(options), ['report text must not be logged'])).resolves.toEqual({
      ok: false,
      error: { code: 'refused', message: `request refused: ${reason}` },
    })
    expect(spy).not.toHaveBeenCalled()
    expect(sink.records).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'ipc refused',
        fields: expect.objectContaining({ reason }),
      }),
    ])
    expect(JSON.stringify(sink.records)).not.toContain('report text')
  })

  it('validates arguments after the sender check', async () => {
    const { call, spy } = bind()
    await expect(call(event(), ['unexpected'])).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    })
    expect(spy).not.toHaveBeenCalled()
  })

  it('refuses a frame whose details cannot be read (disposed mid-call), says why, never throws', async () => {
    const { call, sink, spy } = bind()
    const disposed = {
      sender: { id: 1 },
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
    } as unknown as IpcMainInvokeEvent
    await expect(call(disposed, ['report text must not be logged'])).resolves.toMatchObject({
      ok: false,
      error: { code: 'refused' },
    })
    expect(spy).not.toHaveBeenCalled()
    expect(sink.records).toEqual([
      expect.objectContaining({
        message: 'ipc refused',
        fields: expect.objectContaining({ reason: expect.any(String) }),
      }),
    ])
    expect(JSON.stringify(sink.records)).not.toContain('report text')
  })

  it('refuses extra invoke arguments beyond the one argument list the preload sends', async () => {
    const { call, spy, sink } = bind()
    await expect(call(event(), [], 'Zelda Quartermain report text')).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    })
    expect(spy).not.toHaveBeenCalled()
    expect(JSON.stringify(sink.records)).not.toContain('Quartermain')
  })

  it('refuses every sender that is not our top-level renderer, whatever the frame and payload', async () => {
    const { handlers, sink, spy } = bind()
    const senders = fc.record({
      contentsId: fc.integer({ min: 1, max: 3 }),
      url: fc.oneof(
        fc.webUrl(),
        fc.constantFrom(
          APP_URL,
          'file:///etc/passwd',
          'devtools://devtools/',
          'about:blank',
          'data:text/html,x',
        ),
      ),
      subFrame: fc.boolean(),
      noFrame: fc.boolean(),
    })
    const channels = fc.constantFrom(...Object.values(invokeContract).map((c) => c.channel))
    await fc.assert(
      fc.asyncProperty(senders, channels, fc.anything(), async (sender, channel, payload) => {
        const trusted =
          sender.contentsId === 1 && !sender.subFrame && !sender.noFrame && sender.url === APP_URL
        fc.pre(!trusted)
        sink.records.length = 0
        const answer = await handlers.get(channel)!(event(sender), [`Zelda Quartermain`, payload])
        expect(answer).toMatchObject({ ok: false, error: { code: 'refused' } })
        expect(sink.records).toHaveLength(1)
        expect(sink.records[0]?.fields).toMatchObject({ channel, reason: expect.any(String) })
        expect(JSON.stringify(sink.records)).not.toContain('Quartermain')
      }),
      { numRuns: 200, seed: 11 },
    )
    expect(spy).not.toHaveBeenCalled()
  })
})
