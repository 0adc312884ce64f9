import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { invokeContract, type InvokeName } from '../../src-preload/contract/channels'
import { createDispatcher, type Envelope } from '../../src-preload/contract/server'
import type { ApiMethods } from '../../src-preload/contract/api'
import type { Logger } from '../common/logger'

/**
 * Binds the contract to `ipcMain`. Every message is checked before it reaches the core: the sender
 * must be the main frame of a window we created, showing our own renderer. Every refusal is logged
 * with its reason (never the arguments, which may hold report text).
 */
export interface IpcBindingOptions {
  readonly ipcMain: IpcMain
  readonly impl: ApiMethods
  readonly logger: Logger
  /** True when the URL is our renderer (app://reporter/, the dev server only when unpackaged). */
  readonly isTrustedUrl: (url: string) => boolean
  /** True when the web contents belongs to a window the composition root created. */
  readonly isOurWebContents: (contents: WebContents) => boolean
}

export function bindIpc(options: Readonly<IpcBindingOptions>): () => void {
  const { ipcMain, impl, logger } = options
  const dispatch = createDispatcher(impl, {
    onInternalError: (name, error) => logger.error('capability failed', { channel: name, error }),
  })
  const names = Object.keys(invokeContract) as InvokeName[]
  for (const name of names) {
    const { channel } = invokeContract[name]
    ipcMain.handle(
      channel,
      async (event: IpcMainInvokeEvent, rawArgs: unknown, ...rest: unknown[]): Promise<Envelope> => {
        const refusal = whyRefuse(event, options)
        if (refusal) {
          logger.warn('ipc refused', { channel, reason: refusal })
          return { ok: false, error: { code: 'refused', message: `request refused: ${refusal}` } }
        }
        // The preload sends exactly one argument list; anything after it is not from our preload.
        if (rest.length > 0) {
          logger.warn('ipc refused', { channel, reason: 'extra invoke arguments', count: rest.length })
          return {
            ok: false,
            error: {
              code: 'invalid-arguments',
              message: `${name}: ${rest.length} unexpected extra argument(s)`,
            },
          }
        }
        return dispatch(channel, rawArgs)
      },
    )
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(invokeContract[name].channel)
  }
}

function whyRefuse(event: IpcMainInvokeEvent, options: Readonly<IpcBindingOptions>): string | undefined {
  try {
    return whyRefuseSender(event, options)
  } catch {
    // Electron throws when a frame was disposed between the send and our reading it: not answerable.
    return 'sender frame could not be read (disposed during the call)'
  }
}

function whyRefuseSender(
  event: IpcMainInvokeEvent,
  options: Readonly<IpcBindingOptions>,
): string | undefined {
  if (!options.isOurWebContents(event.sender)) return 'sender is not a window of this application'
  const frame = event.senderFrame
  if (!frame) return 'sender frame is gone (navigated or destroyed)'
  if (frame.parent !== null) return 'sender is a sub-frame, not the top-level document'
  if (!options.isTrustedUrl(frame.url)) return 'sender frame shows a page that is not the application'
  return undefined
}
