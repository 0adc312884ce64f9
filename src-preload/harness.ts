import { createEnvelopeClient, type RendererTransport } from './contract'
import { decodeHarnessFrame, encodeHarnessFrame, MAX_HARNESS_FRAME_BYTES } from './contract/harness-frames'

/**
 * The browser harness's stand-in for the Electron preload: the same `window.qubs`, carried over a
 * WebSocket to a Node process that runs the real core (src-main/harness). Every message is one binary
 * frame (contract/harness-frames.ts) so Uint8Array arguments and results stay bytes, as they do over
 * Electron's IPC. Loaded as a classic script before the app's module script, so `window.qubs` exists
 * when the app starts.
 */
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

function connect(): RendererTransport {
  const socket = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__harness/ws`,
  )
  socket.binaryType = 'arraybuffer'
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error('harness connection failed')), { once: true })
  })
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let nextId = 1

  socket.addEventListener('message', (message) => {
    const data = readFrame(message.data)
    if (!data) return
    if ('id' in data && typeof data.id === 'number') {
      pending.get(data.id)?.resolve(data.envelope)
      pending.delete(data.id)
    } else if ('event' in data && typeof data.event === 'string') {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload)
    }
  })
  socket.addEventListener('close', () => {
    for (const { reject } of pending.values()) reject(new Error('harness connection closed'))
    pending.clear()
  })

  return {
    invoke: async (channel, args) => {
      await opened
      const id = nextId++
      // Throws (rejecting this call only) when the message is over the frame limit.
      const frame = encodeHarnessFrame({ id, channel, args })
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        socket.send(frame)
      })
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => {
        set.delete(listener)
      }
    },
  }
}

/** A frame from main, or null for anything that is not one (it is dropped; the contract checks the rest). */
function readFrame(data: unknown): Record<string, unknown> | null {
  if (!(data instanceof ArrayBuffer) || data.byteLength > MAX_HARNESS_FRAME_BYTES) return null
  try {
    const decoded = decodeHarnessFrame(new Uint8Array(data))
    return typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : null
  } catch {
    return null
  }
}

Object.defineProperty(window, 'qubs', {
  value: createEnvelopeClient(connect()),
  configurable: false,
  writable: false,
})
