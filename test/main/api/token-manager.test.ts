import { Agent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src-main/common/clock'
import { createLogger, memorySink, type LogRecord } from '../../../src-main/common/logger'
import { TokenManager } from '../../../src-main/core/api/token-manager'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import {
  qubsFailure,
  sendJson,
  startLocalServer,
  TEST_CLIENT_ID,
  TEST_SECRET,
  type LocalServer,
} from './support'

/**
 * The token manager against a loopback token endpoint, on a ManualClock: grants, caching, proactive
 * refresh, refresh tokens and their fallback, single flight, bad credentials, and that no secret or
 * token value reaches a log record or an error.
 */
let server: LocalServer
let agent: Agent
let clock: ManualClock
let log: LogRecord[]
let vault: MemoryVault
let issue: {
  expiresIn: number
  refreshToken: boolean
  refuseRefresh: boolean
  delayMs: number
  extra?: Record<string, unknown>
}
let issued = 0

beforeEach(async () => {
  issued = 0
  issue = { expiresIn: 3600, refreshToken: false, refuseRefresh: false, delayMs: 0 }
  server = await startLocalServer(async (request, response) => {
    const form = new URLSearchParams(request.body.toString('utf8'))
    if (form.get('client_id') !== TEST_CLIENT_ID || form.get('client_secret') !== TEST_SECRET) {
      sendJson(response, 401, { error: 'invalid_client', error_description: 'bad secret' })
      return
    }
    if (form.get('grant_type') === 'refresh_token' && issue.refuseRefresh) {
      sendJson(response, 400, { error: 'invalid_grant' })
      return
    }
    if (issue.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, issue.delayMs))
    issued += 1
    sendJson(response, 200, {
      access_token: `access-${issued}`,
      token_type: 'Bearer',
      expires_in: issue.expiresIn,
      ...(issue.refreshToken ? { refresh_token: `refresh-${issued}` } : {}),
      ...issue.extra,
    })
  })
  agent = new Agent()
  clock = new ManualClock(Date.UTC(2026, 0, 1))
  const sink = memorySink()
  log = sink.records
  vault = new MemoryVault()
  await vault.setSecret('qubs.clientSecret', TEST_SECRET)
  manager = new TokenManager({
    settings: {
      tokenUrl: `${server.origin}/oauth2/token`,
      apiBaseUrl: server.origin,
      clientId: TEST_CLIENT_ID,
      domains: ['acme'],
    },
    vault,
    dispatcher: agent,
    clock,
    logger: createLogger('test', { sink, level: 'debug' }),
    timeouts: { connectMs: 2_000, headersMs: 2_000, bodyMs: 2_000, operationMs: 30_000 },
  })
})

afterEach(async () => {
  await agent.close()
  await server.close()
})

let manager: TokenManager

const grants = () =>
  server.requests.map((request) => new URLSearchParams(request.body.toString('utf8')).get('grant_type'))

describe('TokenManager', () => {
  it('asks with form-encoded client credentials and caches the token', async () => {
    await expect(manager.getAccessToken()).resolves.toBe('access-1')
    await expect(manager.getAccessToken()).resolves.toBe('access-1')
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request?.method).toBe('POST')
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(request?.body.toString('utf8'))
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: TEST_CLIENT_ID,
      client_secret: TEST_SECRET,
    })
  })

  it('refreshes proactively 60 s before expiry on the injected clock', async () => {
    await manager.getAccessToken()
    clock.advance(3_600_000 - 61_000)
    await expect(manager.getAccessToken()).resolves.toBe('access-1')
    clock.advance(2_000)
    await expect(manager.getAccessToken()).resolves.toBe('access-2')
    expect(server.requests).toHaveLength(2)
  })

  it('shares one refresh among concurrent callers', async () => {
    issue.delayMs = 50
    const tokens = await Promise.all(Array.from({ length: 10 }, () => manager.getAccessToken()))
    expect(new Set(tokens)).toEqual(new Set(['access-1']))
    expect(server.requests).toHaveLength(1)
  })

  it('uses the refresh token while it is valid, then client credentials after its 5 days', async () => {
    issue.refreshToken = true
    await manager.getAccessToken()
    clock.advance(3_600_000)
    await expect(manager.getAccessToken()).resolves.toBe('access-2')
    expect(new URLSearchParams(server.requests[1]?.body.toString('utf8')).get('refresh_token')).toBe(
      'refresh-1',
    )
    // Stop issuing new refresh tokens: the last one ages out after 5 days.
    issue.refreshToken = false
    clock.advance(3_600_000)
    await manager.getAccessToken()
    clock.advance(5 * 24 * 3_600_000)
    await manager.getAccessToken()
    expect(grants()).toEqual(['client_credentials', 'refresh_token', 'refresh_token', 'client_credentials'])
    expect(manager.stats).toEqual({ clientCredentialsGrants: 2, refreshTokenGrants: 2 })
  })

  it.each(['refresh_token_expires_in', 'refresh_expires_in'])(
    'honours a refresh-token lifetime stated as %s',
    async (field) => {
      issue.refreshToken = true
      issue.extra = { [field]: 7_200 }
      await manager.getAccessToken()
      issue.refreshToken = false
      // The access token lives 1 h, the refresh token 2 h: at 2 h 1 min it is gone.
      clock.advance(2 * 3_600_000 + 60_000)
      await manager.getAccessToken()
      expect(grants()).toEqual(['client_credentials', 'client_credentials'])
    },
  )

  it('treats odd optional token fields as absent instead of failing the login', async () => {
    issue.extra = { expires_in: null, refresh_token: '', refresh_expires_in: 'soon' }
    await expect(manager.getAccessToken()).resolves.toBe('access-1')
    clock.advance(3_600_000 - 30_000)
    await manager.getAccessToken()
    // expires_in unreadable → the documented 3600 s; the empty refresh token was not kept.
    expect(grants()).toEqual(['client_credentials', 'client_credentials'])
  })

  it('falls back to client credentials when the refresh is refused', async () => {
    issue.refreshToken = true
    await manager.getAccessToken()
    clock.advance(3_600_000)
    issue.refuseRefresh = true
    await expect(manager.getAccessToken()).resolves.toBe('access-2')
    expect(grants()).toEqual(['client_credentials', 'refresh_token', 'client_credentials'])
  })

  it('drops only the token the API refused, so a burst of 401s costs one refresh', async () => {
    const first = await manager.getAccessToken()
    manager.invalidate(first)
    const second = await manager.getAccessToken()
    manager.invalidate(first) // a late 401 for the old token must not throw away the new one
    await expect(manager.getAccessToken()).resolves.toBe(second)
    expect(server.requests).toHaveLength(2)
  })

  it('reports bad credentials as a typed auth error without the secret, and logs no secret or token', async () => {
    await manager.getAccessToken()
    await vault.setSecret('qubs.clientSecret', 'wrong-secret-Xy7')
    manager.clear()
    const error = await qubsFailure(manager.getAccessToken())
    expect(error).toMatchObject({ kind: 'auth', status: 401, title: 'invalid_client', retryable: false })
    const text = `${error.message} ${JSON.stringify(error)} ${JSON.stringify(log)}`
    for (const secret of [TEST_SECRET, 'wrong-secret-Xy7', 'access-1', 'bad secret'])
      expect(text).not.toContain(secret)
  })

  it('treats a malformed token answer as an invalid response', async () => {
    server.setHandler((_request, response) => sendJson(response, 200, { token: 'nope' }))
    await expect(manager.getAccessToken()).rejects.toMatchObject({ kind: 'invalid-response', status: 200 })
    server.setHandler((_request, response) =>
      sendJson(response, 200, { access_token: 'a', token_type: 'mac' }),
    )
    await expect(manager.getAccessToken()).rejects.toMatchObject({ kind: 'invalid-response' })
  })

  it('reports a missing secret as a validation error without calling the endpoint', async () => {
    await vault.deleteSecret('qubs.clientSecret')
    await expect(manager.getAccessToken()).rejects.toMatchObject({
      kind: 'validation',
      issues: { clientSecret: expect.any(Array) },
    })
    expect(server.requests).toHaveLength(0)
  })

  it('lets a caller stop waiting without cancelling the shared refresh', async () => {
    issue.delayMs = 100
    const controller = new AbortController()
    const impatient = manager.getAccessToken(controller.signal)
    const patient = manager.getAccessToken()
    controller.abort()
    await expect(impatient).rejects.toMatchObject({ kind: 'aborted' })
    await expect(patient).resolves.toBe('access-1')
    expect(server.requests).toHaveLength(1)
  })
})
