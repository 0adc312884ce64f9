/**
 * The HTTP front of the sandbox: routing by path template, correlation and request ids on every
 * response, problem details for every error, and the fault injector standing in front of every
 * non-admin route. Plain node:http — the sandbox must run anywhere Node runs.
 */
import { randomUUID } from 'node:crypto'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { Socket } from 'node:net'
import { requireDomain } from './auth'
import type { Route, RouteContext, SandboxDeps } from './context'
import type { FaultDecision } from './faults'
import type { Reply } from './http-io'
import { HttpProblem, type ProblemInit, problemBody } from './problem'

interface CompiledRoute {
  readonly route: Route
  readonly pattern: RegExp
  readonly names: readonly string[]
}

const ADMIN_PREFIX = '/__admin/'

export interface SandboxServer {
  readonly server: Server
  /** Destroys every open socket: idle keep-alive ones, hung ones, ones mid-latency. */
  destroySockets(): void
}

export function createSandboxServer(deps: SandboxDeps, routes: readonly Route[]): SandboxServer {
  const compiled = routes.map(compile)
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    void dispatch(deps, compiled, req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return {
    server,
    destroySockets: () => {
      for (const socket of sockets) socket.destroy()
      sockets.clear()
    },
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = []
  const source = route.template
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment)
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      names.push(match[1])
      return '([^/]+)'
    })
    .join('/')
  return { route, pattern: new RegExp(`^${source}$`), names }
}

interface RequestMeta {
  readonly requestId: string
  readonly correlationId: string
  readonly instance: string
}

async function dispatch(
  deps: SandboxDeps,
  routes: readonly CompiledRoute[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now()
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid')
  const meta: RequestMeta = {
    requestId: randomUUID(),
    correlationId: correlationIdOf(req.headers['x-correlation-id']),
    instance: instanceOf(url.pathname),
  }
  const found = findRoute(routes, method, url.pathname)
  const routeKey =
    found.kind === 'match' ? `${method} ${found.compiled.route.template}` : `${method} (unmatched)`
  deps.stats.countRequest(routeKey)

  const fault = url.pathname.startsWith(ADMIN_PREFIX) ? null : deps.faults.decide(method, url.pathname)
  if (fault) {
    deps.stats.countFault(fault.kind)
    deps.logger.info('fault injected', {
      kind: fault.kind,
      method,
      route: routeKey,
      requestId: meta.requestId,
    })
    const proceed = await applyFault(deps, fault, req, res, meta)
    if (!proceed) return
  }

  let reply: Reply
  try {
    if (found.kind === 'none') throw new HttpProblem(notFoundInit())
    if (found.kind === 'method') {
      throw new HttpProblem({
        status: 405,
        type: 'method-not-allowed',
        title: 'Method Not Allowed',
        detail: `${method} is not supported here.`,
        headers: { Allow: found.allowed.join(', ') },
      })
    }
    const params = decodeParams(found.compiled, found.match)
    const context: RouteContext = { req, url, params, principal: null, deps }
    if (found.compiled.route.auth === 'bearer') {
      const principal = await deps.tokens.authenticate(req.headers.authorization)
      if (params.domain !== undefined) requireDomain(principal, params.domain)
      reply = await found.compiled.route.handle({ ...context, principal })
    } else {
      reply = await found.compiled.route.handle(context)
    }
  } catch (error) {
    reply = errorReply(deps, error, meta, routeKey)
  }

  if (fault?.kind === 'commit-then-drop') {
    // The effect (and its idempotency record) is in; the answer never leaves.
    dropConnection(req.socket)
    return
  }
  send(deps, res, reply, meta)
  deps.logger.debug('request', {
    method,
    route: routeKey,
    status: reply.status,
    requestId: meta.requestId,
    correlationId: meta.correlationId,
    durationMs: Date.now() - started,
  })
}

type RouteLookup =
  | { readonly kind: 'match'; readonly compiled: CompiledRoute; readonly match: RegExpExecArray }
  | { readonly kind: 'method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' }

function findRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteLookup {
  const allowed: string[] = []
  for (const compiled of routes) {
    const match = compiled.pattern.exec(path)
    if (!match) continue
    if (compiled.route.method === method) return { kind: 'match', compiled, match }
    allowed.push(compiled.route.method)
  }
  return allowed.length > 0 ? { kind: 'method', allowed: [...new Set(allowed)] } : { kind: 'none' }
}

function decodeParams(compiled: CompiledRoute, match: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {}
  compiled.names.forEach((name, index) => {
    try {
      params[name] = decodeURIComponent(match[index + 1] ?? '')
    } catch {
      throw new HttpProblem({
        status: 400,
        type: 'validation',
        title: 'Bad Request',
        detail: `The path parameter ${name} is not valid percent-encoding.`,
      })
    }
  })
  return params
}

const notFoundInit = (): ProblemInit => ({
  status: 404,
  type: 'not-found',
  title: 'Not Found',
  detail: 'No such resource.',
})

/**
 * Applies a fault; true when the request should then be handled normally ('latency', and
 * 'commit-then-drop', which drops after handling).
 */
async function applyFault(
  deps: SandboxDeps,
  fault: FaultDecision,
  req: IncomingMessage,
  res: ServerResponse,
  meta: RequestMeta,
): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      return waitUnlessClosed(res, fault.latencyMs)
    case 'commit-then-drop':
      return true
    case 'reset':
      dropConnection(req.socket)
      return false
    case 'hang':
      // Never answer. The client gives up, or close() destroys the socket.
      return false
    case '429-seconds':
    case '429-date': {
      const retryAfter =
        fault.kind === '429-seconds'
          ? String(fault.retryAfterSeconds)
          : // An HTTP-date has whole seconds: round up so the wait is never shorter than intended.
            new Date(Math.ceil((deps.now() + fault.retryAfterSeconds * 1000) / 1000) * 1000).toUTCString()
      req.resume()
      send(deps, res, transientReply(429, 'Too Many Requests', meta, { 'Retry-After': retryAfter }), meta)
      return false
    }
    case '500':
    case '502':
    case '503':
    case '504': {
      const status = Number(fault.kind)
      const headers: Record<string, string> =
        status === 503 ? { 'Retry-After': String(fault.retryAfterSeconds) } : {}
      req.resume()
      send(deps, res, transientReply(status, TRANSIENT_TITLES[status] ?? 'Error', meta, headers), meta)
      return false
    }
  }
}

const TRANSIENT_TITLES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

function transientReply(
  status: number,
  title: string,
  meta: RequestMeta,
  headers: Record<string, string>,
): Reply {
  const init: ProblemInit = {
    status,
    type: status === 429 ? 'rate-limited' : 'transient',
    title,
    detail: 'Injected fault: try again later.',
    headers,
  }
  return problemReply(init, meta)
}

function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      res.off('close', onClose)
      resolve(true)
    }, ms)
    res.once('close', onClose)
  })
}

/** Ends the connection without an answer; a TCP reset where the platform allows it. */
function dropConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

function problemReply(init: ProblemInit, meta: RequestMeta): Reply {
  return {
    status: init.status,
    json: problemBody(init, meta.instance, meta.requestId),
    contentType: 'application/problem+json',
    ...(init.headers ? { headers: init.headers } : {}),
  }
}

function errorReply(deps: SandboxDeps, error: unknown, meta: RequestMeta, routeKey: string): Reply {
  if (error instanceof HttpProblem) return problemReply(error.init, meta)
  deps.logger.error('handler failed', { route: routeKey, requestId: meta.requestId, error })
  return problemReply(
    {
      status: 500,
      type: 'internal',
      title: 'Internal Server Error',
      detail: 'The sandbox failed to handle the request.',
    },
    meta,
  )
}

function send(deps: SandboxDeps, res: ServerResponse, reply: Reply, meta: RequestMeta): void {
  if (res.headersSent || res.destroyed) return
  const body =
    reply.bytes !== undefined
      ? Buffer.from(reply.bytes)
      : reply.json !== undefined
        ? Buffer.from(JSON.stringify(reply.json))
        : null
  res.statusCode = reply.status
  res.setHeader('X-Correlation-Id', meta.correlationId)
  res.setHeader('X-Request-Id', meta.requestId)
  // On the sandbox clock, so a client can read an HTTP-date Retry-After against it.
  res.setHeader('Date', new Date(deps.now()).toUTCString())
  res.setHeader('Cache-Control', 'no-store')
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
  if (body) {
    res.setHeader('Content-Type', reply.contentType ?? 'application/json')
    res.setHeader('Content-Length', body.length)
    res.end(body)
  } else {
    res.setHeader('Content-Length', 0)
    res.end()
  }
}

/** Echo the caller's id (printable ASCII, up to 200 characters) as documented; otherwise mint one, so every response has one. */
function correlationIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header
  return value !== undefined && /^[\x20-\x7e]{1,200}$/.test(value) && value.trim() !== ''
    ? value
    : randomUUID()
}

/**
 * The problem's `instance`: the request path with every segment that is not id-shaped replaced, so
 * neither a name typed into a URL nor a presigned URL's credential is echoed back.
 */
function instanceOf(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => {
      let decoded: string
      try {
        decoded = decodeURIComponent(segment)
      } catch {
        return '{redacted}'
      }
      return /^[A-Za-z0-9._~:@-]{0,128}$/.test(decoded) ? segment : '{redacted}'
    })
    .join('/')
}
