/**
 * POST /oauth2/token — OAuth 2.0 client credentials (RFC 6749 §4.4), and refresh_token when refresh
 * tokens are issued. Client credentials come in the form body as the QUBS guide shows, or in an HTTP
 * Basic header (RFC 6749 §2.3.1). On refresh, client credentials are optional but checked when sent.
 * Errors are problem details that also carry the OAuth `error` code; a wrong client, or an invalid or
 * expired refresh token, is 401.
 */
import { z } from 'zod'
import { tokenProblem } from '../auth'
import type { Route, RouteContext } from '../context'
import { type Reply, mediaType, readBody } from '../http-io'

const FORM_LIMIT_BYTES = 16 * 1024

const clientCredentialsSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
})

const refreshSchema = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
  client_id: z.string().min(1).optional(),
  client_secret: z.string().min(1).optional(),
})

export const tokenRoute: Route = {
  method: 'POST',
  template: '/oauth2/token',
  auth: 'none',
  handle: handleToken,
}

async function handleToken(context: RouteContext): Promise<Reply> {
  const { req, deps } = context
  if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    throw tokenProblem(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded.')
  }
  const form = Object.fromEntries(
    new URLSearchParams((await readBody(req, FORM_LIMIT_BYTES)).toString('utf8')),
  )
  const basic = basicCredentials(req.headers.authorization)
  if (basic) {
    form.client_id ??= basic.clientId
    form.client_secret ??= basic.clientSecret
  }
  const grantType = form.grant_type
  if (grantType === undefined) throw tokenProblem(400, 'invalid_request', 'grant_type is required.')

  if (grantType === 'client_credentials') {
    const parsed = clientCredentialsSchema.safeParse(form)
    if (!parsed.success) {
      throw tokenProblem(400, 'invalid_request', 'client_id and client_secret are required.')
    }
    if (!deps.tokens.checkClient(parsed.data.client_id, parsed.data.client_secret)) {
      throw tokenProblem(401, 'invalid_client', 'Client authentication failed.')
    }
    deps.logger.info('token issued', { kind: 'client_credentials' })
    return tokenReply(await deps.tokens.issueForClient())
  }

  if (grantType === 'refresh_token' && deps.tokens.issuesRefreshTokens) {
    const parsed = refreshSchema.safeParse(form)
    if (!parsed.success) throw tokenProblem(400, 'invalid_request', 'refresh_token is required.')
    const { client_id: clientId, client_secret: clientSecret } = parsed.data
    if (clientId !== undefined && !deps.tokens.isKnownClient(clientId)) {
      throw tokenProblem(401, 'invalid_client', 'Client authentication failed.')
    }
    if (
      clientId !== undefined &&
      clientSecret !== undefined &&
      !deps.tokens.checkClient(clientId, clientSecret)
    ) {
      throw tokenProblem(401, 'invalid_client', 'Client authentication failed.')
    }
    const { tokens, principal } = await deps.tokens.refresh(parsed.data.refresh_token)
    if (clientId !== undefined && principal.clientId !== clientId) {
      throw tokenProblem(401, 'invalid_grant', 'The refresh token was issued to another client.')
    }
    deps.logger.info('token issued', { kind: 'refresh_token' })
    return tokenReply(tokens)
  }

  throw tokenProblem(400, 'unsupported_grant_type', 'The grant_type is not supported.')
}

function tokenReply(body: unknown): Reply {
  return { status: 200, json: body, headers: { Pragma: 'no-cache' } }
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return null
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    }
  } catch {
    return null
  }
}
