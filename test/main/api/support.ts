import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Clock } from '../../../src-main/common/clock'
import { seededRandom } from '../../../src-main/common/clock'
import { createLogger, memorySink, type LogRecord } from '../../../src-main/common/logger'
import { QubsClient, type QubsClientOptions } from '../../../src-main/core/api'
import { isAnswerUnreadable, type AnswerUnreadable } from '../../../src-main/core/api/applied-answer'
import { QubsError } from '../../../src-main/core/api/errors'
import { MemoryVault } from '../../../src-main/core/vault/vault'

/**
 * Helpers for the API client tests: a clock whose sleeps return at once but are recorded (so retry
 * waits can be asserted without waiting), tiny loopback servers that record what they received, and a
 * client factory wired to both.
 */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = []
  #offsetMs = 0

  now(): number {
    return Date.now() + this.#offsetMs
  }

  advance(ms: number): void {
    this.#offsetMs += ms
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      // Yield to the event loop so the "wait" is observable, but do not actually wait.
      setImmediate(() => (signal?.aborted ? reject(signal.reason) : resolve()))
    })
  }
}

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingMessage['headers']
  readonly body: Buffer
}

export type Handler = (
  request: RecordedRequest,
  response: ServerResponse,
  socket: Socket,
) => void | Promise<void>

export interface LocalServer {
  readonly origin: string
  readonly requests: RecordedRequest[]
  setHandler(handler: Handler): void
  close(): Promise<void>
}

export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  let current = handler
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      }
      requests.push(recorded)
      Promise.resolve(current(recorded, res, req.socket)).catch(() => {
        res.destroy()
      })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (next) => {
      current = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

export function sendProblem(
  response: ServerResponse,
  status: number,
  problem: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify({ status, ...problem })
  response.writeHead(status, { 'content-type': 'application/problem+json', ...headers })
  response.end(text)
}

export const TEST_SECRET = 'test-client-secret-Zq9'
export const TEST_CLIENT_ID = 'reporter-test'

/** A token endpoint that issues `tok-N` access tokens (client credentials only unless told). */
export function tokenResponder(options: { expiresIn?: number; refreshToken?: boolean } = {}) {
  let issued = 0
  return {
    get issued() {
      return issued
    },
    handle(request: RecordedRequest, response: ServerResponse): void {
      const form = new URLSearchParams(request.body.toString('utf8'))
      const grant = form.get('grant_type')
      const okClient = form.get('client_id') === TEST_CLIENT_ID && form.get('client_secret') === TEST_SECRET
      if (!okClient) {
        sendJson(response, 400, { error: 'invalid_client' })
        return
      }
      if (grant === 'refresh_token' && !form.get('refresh_token')?.startsWith('refresh-')) {
        sendJson(response, 400, { error: 'invalid_grant' })
        return
      }
      issued += 1
      sendJson(response, 200, {
        access_token: `tok-${issued}`,
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 3600,
        ...(options.refreshToken ? { refresh_token: `refresh-${issued}` } : {}),
      })
    },
  }
}

export interface TestApi {
  readonly server: LocalServer
  readonly clock: RecordingClock
  readonly log: LogRecord[]
  readonly vault: MemoryVault
  readonly tokens: ReturnType<typeof tokenResponder>
  client(options?: Partial<QubsClientOptions>): QubsClient
  /** Requests that reached the API (token requests excluded). */
  apiRequests(): RecordedRequest[]
  close(): Promise<void>
}

/**
 * A loopback "QUBS" whose token endpoint is /oauth2/token and whose API routes are answered by
 * `api`. Clients made here use a RecordingClock and a seeded random, so retries are instant and
 * repeatable.
 */
export async function startTestApi(
  api: Handler,
  tokenOptions: Parameters<typeof tokenResponder>[0] = {},
): Promise<TestApi> {
  const tokens = tokenResponder(tokenOptions)
  let apiHandler = api
  const server = await startLocalServer((request, response, socket) => {
    if (request.path === '/oauth2/token') return tokens.handle(request, response)
    return apiHandler(request, response, socket)
  })
  const clock = new RecordingClock()
  const sink = memorySink()
  const vault = new MemoryVault()
  await vault.setSecret('qubs.clientSecret', TEST_SECRET)
  const clients: QubsClient[] = []
  return {
    server: {
      ...server,
      setHandler: (next) => {
        apiHandler = next
      },
    },
    clock,
    log: sink.records,
    vault,
    tokens,
    client: (options = {}) => {
      const client = new QubsClient({
        settings: {
          tokenUrl: `${server.origin}/oauth2/token`,
          apiBaseUrl: server.origin,
          clientId: TEST_CLIENT_ID,
          domains: ['acme', 'beta'],
        },
        vault,
        clock,
        random: seededRandom(42),
        logger: createLogger('test', { sink, level: 'debug' }),
        retry: { baseDelayMs: 100, capDelayMs: 1_000 },
        timeouts: { connectMs: 2_000, headersMs: 2_000, bodyMs: 2_000 },
        ...options,
      })
      clients.push(client)
      return client
    },
    apiRequests: () => server.requests.filter((request) => request.path !== '/oauth2/token'),
    close: async () => {
      await Promise.all(clients.map((client) => client.close()))
      await server.close()
    },
  }
}

/** Awaits a promise expected to reject with a QubsError and returns the error. */
export async function qubsFailure(promise: Promise<unknown>): Promise<QubsError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof QubsError) return error
    throw new Error(`expected a QubsError, got ${String(error)}`, { cause: error })
  }
  throw new Error('expected the call to fail')
}

export const API = '/integrations/v1'

/** Responses a test leaves unanswered on purpose; `destroyAll` (in afterEach) frees their sockets. */
export class HeldResponses {
  readonly #held = new Set<ServerResponse>()

  hold(response: ServerResponse): void {
    this.#held.add(response)
  }

  destroyAll(): void {
    for (const response of this.#held) response.destroy()
    this.#held.clear()
  }
}

/**
 * Makes the token endpoint of `api` accept requests and never answer them, until the returned function
 * is called; later token requests are answered normally.
 */
export function stallTokenEndpoint(api: TestApi, held: HeldResponses): () => void {
  const answer = api.tokens.handle.bind(api.tokens)
  let stalled = true
  api.tokens.handle = (request, response) => {
    if (stalled) held.hold(response)
    else answer(request, response)
  }
  return () => {
    stalled = false
  }
}

/** The parsed answer of a POST, failing the test when QUBS's answer was unreadable. */
export function readable<T extends object>(result: T | AnswerUnreadable): T {
  if (isAnswerUnreadable(result)) throw new Error(`expected a readable answer, got ${JSON.stringify(result)}`)
  return result
}
