import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { createDispatcher, encodeEvent } from '../../src-preload/contract/server'
import type { ApiMethods, EventPayload } from '../../src-preload/contract/api'
import type { EventName } from '../../src-preload/contract/channels'
import {
  decodeHarnessFrame,
  encodeHarnessFrame,
  MAX_HARNESS_FRAME_BYTES,
} from '../../src-preload/contract/harness-frames'
import type { Logger } from '../common/logger'

/**
 * The browser harness: serves the built renderer (out/renderer) to any browser and carries the IPC
 * contract over a WebSocket to a real core in this Node process. The page gets `window.qubs` from
 * /__harness/bridge.js (src-preload/harness.ts, bundled), injected before the app's own script.
 * Lets Chromium e2e tests and people click through the app without the Electron binary. Messages are
 * binary frames (src-preload/contract/harness-frames.ts) so bytes stay bytes, as over Electron's IPC;
 * a frame over MAX_HARNESS_FRAME_BYTES closes the connection.
 */
export interface HarnessOptions {
  readonly rendererDir: string
  /** The bundled src-preload/harness.ts. */
  readonly bridgeScript: string
  readonly impl: ApiMethods
  readonly logger: Logger
  readonly host?: string
  readonly port?: number
}

export interface RunningHarness {
  readonly url: string
  /** Pushes an event to every connected page, validated against the contract. */
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void
  close(): Promise<void>
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export async function startHarness(options: Readonly<HarnessOptions>): Promise<RunningHarness> {
  const rendererDir = resolve(options.rendererDir)
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`no built renderer at ${rendererDir}: run "npm run build" first`)
  })
  const page = indexHtml.replace('<head>', '<head>\n    <script src="/__harness/bridge.js"></script>')
  const dispatch = createDispatcher(options.impl, {
    onInternalError: (name, error) => options.logger.error('capability failed', { channel: name, error }),
  })

  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      options.logger.error('harness request failed', { error })
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isOwnHost(request.headers.host)) {
      // DNS rebinding: a foreign name pointing at 127.0.0.1 must not get the app or its data.
      options.logger.warn('harness request refused', { reason: 'foreign Host header' })
      response.writeHead(403).end()
      return
    }
    const path = new URL(request.url ?? '/', 'http://harness').pathname
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': 'no-store' })
      response.end(page)
      return
    }
    if (path === '/__harness/bridge.js') {
      response.writeHead(200, { 'Content-Type': CONTENT_TYPES['.js'], 'Cache-Control': 'no-store' })
      response.end(options.bridgeScript)
      return
    }
    const file = normalize(join(rendererDir, decodeURIComponent(path)))
    if (!file.startsWith(rendererDir + sep)) {
      response.writeHead(403).end()
      return
    }
    const info = await stat(file).catch(() => null)
    if (!info?.isFile()) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(response)
  }

  const sockets = new Set<WebSocket>()
  // Browsers apply no CORS to WebSockets: any page the tester has open could connect. Only our own
  // page (same Origin, our Host) may reach the contract.
  const wss = new WebSocketServer({
    server,
    path: '/__harness/ws',
    // ws closes the connection (1009) rather than buffer a larger message.
    maxPayload: MAX_HARNESS_FRAME_BYTES,
    verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) => {
      const allowed = isOwnHost(req.headers.host) && isOwnOrigin(origin)
      if (!allowed) options.logger.warn('harness connection refused', { reason: 'foreign Origin or Host' })
      return allowed
    },
  })
  wss.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    // A frame over the limit or a broken frame: ws closes the socket and reports it here.
    socket.on('error', (error) => options.logger.warn('harness connection failed', { error }))
    socket.on('message', (raw, isBinary) => {
      void (async () => {
        let message: { id?: unknown; channel?: unknown; args?: unknown }
        try {
          if (!isBinary) throw new Error('text frame')
          message = decodeHarnessFrame(toBytes(raw)) as typeof message
        } catch {
          options.logger.warn('harness message refused', { reason: 'not a harness frame' })
          return
        }
        if (typeof message?.id !== 'number' || typeof message.channel !== 'string') {
          options.logger.warn('harness message refused', { reason: 'missing id or channel' })
          return
        }
        const envelope = await dispatch(message.channel, message.args)
        socket.send(encodeAnswer(message.id, envelope))
      })()
    })
  })

  /** An answer too large for one frame (a bug: results are chunked) becomes an error answer instead. */
  function encodeAnswer(id: number, envelope: unknown): Uint8Array<ArrayBuffer> {
    try {
      return encodeHarnessFrame({ id, envelope })
    } catch (error) {
      options.logger.error('harness answer too large', { error })
      return encodeHarnessFrame({
        id,
        envelope: { ok: false, error: { code: 'internal', message: 'the answer was too large to send' } },
      })
    }
  }

  const host = options.host ?? '127.0.0.1'
  if (!isLoopback(host))
    throw new Error('the harness listens on loopback only (it serves the app without a login)')
  let port = 0
  const ownHosts = () =>
    new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
  function isOwnHost(value: string | undefined): boolean {
    return value !== undefined && ownHosts().has(value.toLowerCase())
  }
  function isOwnOrigin(value: string | undefined): boolean {
    return value !== undefined && [...ownHosts()].some((own) => value.toLowerCase() === `http://${own}`)
  }

  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, host, resolveListen))
  port = (server.address() as AddressInfo).port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    emit(event, payload) {
      const { channel, payload: checked } = encodeEvent(event, payload)
      const frame = encodeHarnessFrame({ event: channel, payload: checked })
      for (const socket of sockets) socket.send(frame)
    },
    close: async () => {
      for (const socket of sockets) socket.terminate()
      await new Promise<void>((done) => wss.close(() => done()))
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}

function toBytes(raw: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(raw)) return Buffer.concat(raw)
  return raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
