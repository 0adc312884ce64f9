import { contextBridge, ipcRenderer } from 'electron'
import { createEnvelopeClient, type RendererTransport } from './contract'

/**
 * The only bridge between the page and main. The page gets `window.qubs`: one function per capability
 * of the contract, each validating its arguments here before anything is sent. `ipcRenderer` itself,
 * `process` and Node are never exposed.
 */
const transport: RendererTransport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, args),
  subscribe: (channel, listener) => {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => {
      ipcRenderer.removeListener(channel, handler)
    }
  },
}

// Envelopes, not thrown errors, cross the context bridge (it would drop an error's code): the page
// unwraps them in its own world (src-renderer/src/bridge).
contextBridge.exposeInMainWorld('qubs', createEnvelopeClient(transport))
