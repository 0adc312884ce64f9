import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src-main/sandbox/index'
import { api, getToken, getTokens, postForm, sandboxForFile } from './helpers'

const sandbox = await sandboxForFile({ domains: ['acme', 'beta'], clientId: 'cid-1', clientSecret: 'sec-1' })

describe('token endpoint', () => {
  it('issues a signed JWT access token whose claims carry the allowed domains, and a refresh token', async () => {
    const tokens = await getTokens(sandbox)
    expect(tokens.token_type).toBe('Bearer')
    expect(tokens.expires_in).toBe(3600)
    expect(tokens.refresh_expires_in).toBe(432_000)
    const claims = decodeJwt(tokens.access_token)
    expect(claims.domains).toEqual(['acme', 'beta'])
    expect(claims.sub).toBe('cid-1')
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600)
    expect(typeof tokens.refresh_token).toBe('string')
  })

  it('accepts client credentials in an HTTP Basic header as well', async () => {
    const basic = Buffer.from('cid-1:sec-1').toString('base64')
    const response = await postForm(
      sandbox.tokenUrl,
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${basic}` },
    )
    expect(response.status).toBe(200)
  })

  it('answers 401 invalid_client for a wrong secret or unknown client, as a problem with a correlation id', async () => {
    for (const form of [
      { grant_type: 'client_credentials', client_id: 'cid-1', client_secret: 'wrong' },
      { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'sec-1' },
    ]) {
      const response = await postForm(sandbox.tokenUrl, form, { 'X-Correlation-Id': 'corr-token-1' })
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      expect(response.headers.get('x-correlation-id')).toBe('corr-token-1')
      const problem = (await response.json()) as Record<string, unknown>
      expect(problem).toMatchObject({ status: 401, error: 'invalid_client' })
      expect(JSON.stringify(problem)).not.toContain('sec-1')
    }
  })

  it('answers 400 for a missing field, an unknown grant type or a body that is not form-encoded', async () => {
    const missing = await postForm(sandbox.tokenUrl, { grant_type: 'client_credentials', client_id: 'cid-1' })
    expect(missing.status).toBe(400)
    const unknown = await postForm(sandbox.tokenUrl, {
      grant_type: 'password',
      client_id: 'cid-1',
      client_secret: 'sec-1',
    })
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({ error: 'unsupported_grant_type' })
    const json = await fetch(sandbox.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'cid-1', client_secret: 'sec-1' }),
    })
    expect(json.status).toBe(400)
    expect(json.headers.get('x-correlation-id')).toBeTruthy()
  })

  it('exchanges a refresh token for a new access token, and rejects an access token used as one', async () => {
    const tokens = await getTokens(sandbox)
    const refreshed = await postForm(sandbox.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(refreshed.status).toBe(200)
    const body = (await refreshed.json()) as { access_token: string }
    expect((await api(sandbox, body.access_token, '/integrations/v1/acme/sites')).status).toBe(200)
    const misuse = await postForm(sandbox.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.access_token,
    })
    expect(misuse.status).toBe(401)
    expect(await misuse.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('checks client credentials sent with a refresh', async () => {
    const tokens = await getTokens(sandbox)
    const response = await postForm(sandbox.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: 'cid-1',
      client_secret: 'wrong',
    })
    expect(response.status).toBe(401)
  })

  it('never accepts a refresh token as a bearer token', async () => {
    const tokens = await getTokens(sandbox)
    expect((await api(sandbox, tokens.refresh_token ?? '', '/integrations/v1/acme/sites')).status).toBe(401)
  })
})

describe('bearer tokens on the API', () => {
  it('answers 401 without a token, with a malformed one and with a forged one', async () => {
    const path = '/integrations/v1/acme/sites'
    expect((await api(sandbox, null, path)).status).toBe(401)
    const malformed = await api(sandbox, null, path, { headers: { Authorization: 'Token abc' } })
    expect(malformed.status).toBe(401)
    expect(malformed.headers.get('www-authenticate')).toMatch(/^Bearer/)
    const token = await getToken(sandbox)
    const [header, payload] = token.split('.')
    expect((await api(sandbox, `${header}.${payload}.AAAA`, path)).status).toBe(401)
  })

  it('answers 403 for a domain outside the token claims', async () => {
    const token = await getToken(sandbox)
    expect((await api(sandbox, token, '/integrations/v1/beta/sites')).status).toBe(200)
    const other = await api(sandbox, token, '/integrations/v1/gamma/reporting/appointments/pending')
    expect(other.status).toBe(403)
    expect(other.headers.get('content-type')).toBe('application/problem+json')
  })
})

describe('token lifetimes', () => {
  it('expires access tokens after the configured lifetime (401) on the sandbox clock', async () => {
    const short = await startSandbox({ appointments: 10, accessTokenTtlSeconds: 120 })
    try {
      const token = await getToken(short)
      expect((await api(short, token, '/integrations/v1/demo/sites')).status).toBe(200)
      short.admin.advanceClock(119_000)
      expect((await api(short, token, '/integrations/v1/demo/sites')).status).toBe(200)
      short.admin.advanceClock(1_000)
      const expired = await api(short, token, '/integrations/v1/demo/sites')
      expect(expired.status).toBe(401)
      expect(expired.body).toMatchObject({ status: 401 })
    } finally {
      await short.close()
    }
  })

  it('honours the refresh token lifetime (5 days by default): refresh works before, 401 after', async () => {
    const clocked = await startSandbox({ appointments: 10 })
    try {
      const tokens = await getTokens(clocked)
      const refresh = () =>
        postForm(clocked.tokenUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' })
      clocked.admin.advanceClock(5 * 86_400_000 - 1_000)
      expect((await refresh()).status).toBe(200)
      clocked.admin.advanceClock(1_000)
      const expired = await refresh()
      expect(expired.status).toBe(401)
      expect(await expired.json()).toMatchObject({ error: 'invalid_grant' })
    } finally {
      await clocked.close()
    }
  })

  it('issues no refresh token when configured so, and then refuses the refresh grant', async () => {
    const plain = await startSandbox({ appointments: 10, issueRefreshToken: false })
    try {
      const tokens = await getTokens(plain)
      expect(tokens.refresh_token).toBeUndefined()
      const refused = await postForm(plain.tokenUrl, { grant_type: 'refresh_token', refresh_token: 'x' })
      expect(refused.status).toBe(400)
      expect(await refused.json()).toMatchObject({ error: 'unsupported_grant_type' })
    } finally {
      await plain.close()
    }
  })
})
