/**
 * Shared helpers for the sandbox conformance suite: start a sandbox on port 0, get tokens, call the
 * API with fetch, and make raw node:http requests when a test must see the socket fail.
 */
import { request as httpRequest } from 'node:http'
import { afterAll } from 'vitest'
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src-main/sandbox/index'

/** Starts a sandbox for the current test file and closes it after the file's tests. */
export async function sandboxForFile(options: Readonly<SandboxOptions> = {}): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ appointments: 40, ...options })
  afterAll(() => sandbox.close())
  return sandbox
}

export interface TokenResponse {
  access_token: string
  token_type: string
  expires_in: number
  refresh_token?: string
  refresh_expires_in?: number
}

export async function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  })
}

export async function getTokens(sandbox: RunningSandbox): Promise<TokenResponse> {
  const response = await postForm(sandbox.tokenUrl, {
    grant_type: 'client_credentials',
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
  })
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`)
  return (await response.json()) as TokenResponse
}

export async function getToken(sandbox: RunningSandbox): Promise<string> {
  return (await getTokens(sandbox)).access_token
}

export interface ApiResult<T = unknown> {
  readonly status: number
  readonly headers: Headers
  readonly body: T
}

export interface ApiInit {
  readonly method?: string
  readonly token?: string | null
  readonly json?: unknown
  readonly rawBody?: string | Uint8Array
  readonly headers?: Record<string, string>
}

/** Calls `${baseUrl}${path}`; parses JSON bodies, keeps others as text. */
export async function api<T = unknown>(
  sandbox: RunningSandbox,
  token: string | null,
  path: string,
  init: ApiInit = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers }
  if (token) headers.Authorization = `Bearer ${token}`
  let body: string | Uint8Array | undefined = init.rawBody
  if (init.json !== undefined) {
    body = JSON.stringify(init.json)
    headers['Content-Type'] ??= 'application/json'
  }
  const response = await fetch(`${sandbox.baseUrl}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  })
  const text = await response.text()
  const type = response.headers.get('content-type') ?? ''
  const parsed = type.includes('json') && text !== '' ? (JSON.parse(text) as unknown) : text
  return { status: response.status, headers: response.headers, body: parsed as T }
}

export const reporting = (domain: string, rest = '') =>
  `/integrations/v1/${domain}/reporting/appointments${rest}`

export interface RawResult {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: Buffer
}

/**
 * A node:http request that rejects with the socket's error (ECONNRESET, 'socket hang up') or
 * 'timeout' after `timeoutMs` — what the reset, hang and drop faults must produce.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    timeoutMs?: number
  } = {},
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      )
    }
    req.end(options.body)
  })
}

/** Walks the whole pending list and returns every item. */
export async function walkPending(
  sandbox: RunningSandbox,
  token: string,
  domain: string,
  pageSize: number,
): Promise<{ items: { appointmentId: string }[]; pages: number }> {
  const items: { appointmentId: string }[] = []
  let nextToken: string | undefined
  let pages = 0
  do {
    const query = new URLSearchParams({ pageSize: String(pageSize), ...(nextToken ? { nextToken } : {}) })
    const page = await api<{ items: { appointmentId: string }[]; nextToken?: string }>(
      sandbox,
      token,
      reporting(domain, `/pending?${query}`),
    )
    if (page.status !== 200) throw new Error(`page failed: ${page.status}`)
    items.push(...page.body.items)
    nextToken = page.body.nextToken
    pages++
  } while (nextToken)
  return { items, pages }
}
