/**
 * Tokens: signed JWTs (HS256, a key made at start-up) whose claims carry the allowed domains, checked
 * against the sandbox clock so tests can expire them by advancing it. Access and refresh tokens are
 * told apart by `token_use`, so one can never stand in for the other.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { HttpProblem, quoteId } from './problem'

export const TOKEN_ISSUER = 'qubs-sandbox'
export const TOKEN_AUDIENCE = 'qubs-integrations'

export interface Principal {
  readonly clientId: string
  readonly domains: readonly string[]
}

export interface IssuedTokens {
  readonly access_token: string
  readonly token_type: 'Bearer'
  readonly expires_in: number
  readonly refresh_token?: string
  readonly refresh_expires_in?: number
}

export interface TokenServiceOptions {
  readonly clientId: string
  readonly clientSecret: string
  readonly domains: readonly string[]
  readonly accessTtlSeconds: number
  readonly refreshTtlSeconds: number
  readonly issueRefreshToken: boolean
  readonly now: () => number
  /** Unique ids for `jti`. */
  readonly uuid: () => string
}

type TokenUse = 'access' | 'refresh'

export class TokenService {
  readonly #options: Readonly<TokenServiceOptions>
  readonly #key = new Uint8Array(randomBytes(32))

  constructor(options: Readonly<TokenServiceOptions>) {
    this.#options = options
  }

  get issuesRefreshTokens(): boolean {
    return this.#options.issueRefreshToken
  }

  /** Constant-time check of the client credentials. */
  checkClient(clientId: string, clientSecret: string): boolean {
    return safeEqual(clientId, this.#options.clientId) && safeEqual(clientSecret, this.#options.clientSecret)
  }

  isKnownClient(clientId: string): boolean {
    return safeEqual(clientId, this.#options.clientId)
  }

  async issueForClient(): Promise<IssuedTokens> {
    const principal = { clientId: this.#options.clientId, domains: this.#options.domains }
    const access = await this.#sign(principal, 'access', this.#options.accessTtlSeconds)
    if (!this.#options.issueRefreshToken) return access
    const refresh = await this.#sign(principal, 'refresh', this.#options.refreshTtlSeconds)
    return {
      ...access,
      refresh_token: refresh.access_token,
      refresh_expires_in: this.#options.refreshTtlSeconds,
    }
  }

  /** A new access token for a valid refresh token; the refresh token itself is not rotated. */
  async refresh(refreshToken: string): Promise<{ tokens: IssuedTokens; principal: Principal }> {
    const principal = await this.#verify(refreshToken, 'refresh')
    if (!principal) {
      throw tokenProblem(401, 'invalid_grant', 'The refresh token is invalid or expired.')
    }
    return { tokens: await this.#sign(principal, 'access', this.#options.accessTtlSeconds), principal }
  }

  /** The principal of a bearer Authorization header; 401 when missing, malformed, invalid or expired. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match?.[1]) throw unauthorized('A bearer token is required.', 'invalid_request')
    const principal = await this.#verify(match[1], 'access')
    if (!principal) throw unauthorized('The access token is invalid or expired.', 'invalid_token')
    return principal
  }

  async #sign(principal: Principal, use: TokenUse, ttlSeconds: number): Promise<IssuedTokens> {
    const iat = Math.floor(this.#options.now() / 1000)
    const token = await new SignJWT({
      client_id: principal.clientId,
      domains: [...principal.domains],
      token_use: use,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(principal.clientId)
      .setJti(this.#options.uuid())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(this.#key)
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds }
  }

  async #verify(token: string, use: TokenUse): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(this.#options.now()),
      })
      if (payload.token_use !== use || typeof payload.sub !== 'string') return null
      const domains = payload.domains
      if (!Array.isArray(domains) || !domains.every((d) => typeof d === 'string')) return null
      return { clientId: payload.sub, domains: domains as string[] }
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null
      throw error
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function unauthorized(detail: string, error: string): HttpProblem {
  return new HttpProblem({
    status: 401,
    type: 'unauthorized',
    title: 'Unauthorized',
    detail,
    headers: { 'WWW-Authenticate': `Bearer realm="qubs-sandbox", error="${error}"` },
  })
}

/** Token endpoint problems also carry the OAuth 2.0 `error` code (RFC 6749 §5.2) as an extension. */
export function tokenProblem(status: number, error: string, detail: string): HttpProblem {
  const titles: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized' }
  return new HttpProblem({
    status,
    type: `oauth-${error.replaceAll('_', '-')}`,
    title: titles[status] ?? 'Error',
    detail,
    extensions: { error },
    ...(status === 401 ? { headers: { 'WWW-Authenticate': 'Basic realm="qubs-sandbox"' } } : {}),
  })
}

/** 403 when the token's claims do not carry the requested domain. */
export function requireDomain(principal: Principal, domain: string): void {
  if (!principal.domains.includes(domain)) {
    throw new HttpProblem({
      status: 403,
      type: 'forbidden-domain',
      title: 'Forbidden',
      detail: `The token does not allow domain ${quoteId(domain)}.`,
    })
  }
}
