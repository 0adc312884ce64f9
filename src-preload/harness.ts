import { createApiClient, type RendererTransport } from './contract'

/**
 * The browser harness's stand-in for the Electron preload: the same `window.qubs`, carried over a
 * WebSocket to a Node process that runs the real core (src-main/harness). Loaded as a classic script
 * before the app's module script, so `window.qubs` exists when the app starts.
 */
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

function connect(): RendererTransport {
  const socket = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__harness/ws`,
  )
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error('harness connection failed')), { once: true })
  })
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let nextId = 1

  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as
      { id: number; envelope: unknown } | { event: string; payload: unknown }
    if ('id' in data) {
      pending.get(data.id)?.resolve(data.envelope)
      pending.delete(data.id)
    } else {
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
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        socket.send(JSON.stringify({ id, channel, args }))
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

Object.defineProperty(window, 'qubs', {
  value: createApiClient(connect()),
  configurable: false,
  writable: false,
})
