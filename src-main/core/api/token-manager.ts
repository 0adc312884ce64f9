import type { Dispatcher } from 'undici'
import { z } from 'zod'
import type { Clock } from '../../common/clock'
import { parseJsonText } from '../../common/json-text'
import type { Logger } from '../../common/logger'
import type { Vault } from '../vault/vault'
import { QubsError } from './errors'
import { headerValue, problemToError, transportToError } from './problem'
import { parseRetryAfter } from './retry-policy'
import { readClientSecret, type ConnectionSettings } from './settings'
import { discardBody, raceAbort, readBodyText, type Timeouts, send } from './transport'

/**
 * OAuth 2.0 tokens for the API. Client credentials (form-encoded, secret in the body as QUBS documents);
 * a refresh token when the server issues one and it is still inside its 5 days, falling back to client
 * credentials when the refresh is refused; a proactive refresh shortly before expiry on the injected
 * clock; and one refresh in flight at a time, shared by every concurrent caller. Token values and the
 * secret are never logged and never appear in errors.
 */
const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z
    .string()
    .refine((type) => type.toLowerCase() === 'bearer')
    .optional(),
  // Numbers per RFC 6749; some servers send strings. Absent (or unreadable) means the documented 3600.
  expires_in: z.coerce.number().positive().optional().catch(undefined),
  // An empty or odd refresh token is treated as none: client credentials still work.
  refresh_token: z.string().min(1).nullish().catch(undefined),
  // The refresh token's lifetime has no standard name; read the two in common use.
  refresh_token_expires_in: z.coerce.number().positive().nullish().catch(undefined),
  refresh_expires_in: z.coerce.number().positive().nullish().catch(undefined),
})

export const DEFAULT_ACCESS_TOKEN_LIFETIME_MS = 3_600_000
export const DEFAULT_REFRESH_TOKEN_LIFETIME_MS = 5 * 24 * 3_600_000
const MAX_TOKEN_BODY_BYTES = 256 * 1024

export interface TokenManagerOptions {
  readonly settings: ConnectionSettings
  readonly vault: Vault
  readonly dispatcher: Dispatcher
  readonly clock: Clock
  readonly logger: Logger
  readonly timeouts: Timeouts
  /** Refresh this long before the access token expires (capped at a quarter of a short token's life). */
  readonly refreshSkewMs?: number
  /** How long an issued refresh token is usable when the server does not say. */
  readonly refreshTokenLifetimeMs?: number
}

interface HeldToken {
  readonly value: string
  readonly refreshAtMs: number
  readonly expiresAtMs: number
}

/** The one grant in flight, shared by every caller that needs a token meanwhile. */
interface GrantInFlight {
  readonly promise: Promise<HeldToken>
  readonly controller: AbortController
  waiters: number
}

interface HeldRefreshToken {
  readonly value: string
  readonly expiresAtMs: number
}

export type Grant = 'client_credentials' | 'refresh_token'

export interface TokenStats {
  readonly clientCredentialsGrants: number
  readonly refreshTokenGrants: number
}

export class TokenManager {
  readonly #options: Readonly<TokenManagerOptions>
  readonly #log: Logger
  #access: HeldToken | undefined
  #refresh: HeldRefreshToken | undefined
  #inFlight: GrantInFlight | undefined
  #closed = false
  #clientCredentialsGrants = 0
  #refreshTokenGrants = 0

  constructor(options: Readonly<TokenManagerOptions>) {
    this.#options = options
    this.#log = options.logger.child('token')
  }

  /** Counters for diagnostics and tests: how many grants of each kind were requested. */
  get stats(): TokenStats {
    return {
      clientCredentialsGrants: this.#clientCredentialsGrants,
      refreshTokenGrants: this.#refreshTokenGrants,
    }
  }

  /**
   * A bearer token that is valid for at least the refresh margin. Concurrent callers share one token
   * request. Nobody waits for it forever: each caller stops waiting when its own signal fires (its
   * operation's deadline included) without cancelling the request for the others; the request itself
   * has a deadline, and is cancelled once every caller waiting for it has given up, so a stuck token
   * endpoint never blocks a later caller beyond that caller's own deadline.
   */
  async getAccessToken(signal?: AbortSignal): Promise<string> {
    if (this.#closed) throw new QubsError({ kind: 'aborted', title: 'Client closed', notSent: true })
    const held = this.#access
    if (held && this.#options.clock.now() < held.refreshAtMs) return held.value
    const flight = (this.#inFlight ??= this.#startGrant())
    flight.waiters += 1
    try {
      const token = await raceAbort(flight.promise, signal)
      return token.value
    } catch (error) {
      throw transportToError(error, undefined, signal)
    } finally {
      flight.waiters -= 1
      if (flight.waiters === 0 && signal?.aborted) this.#abandon(flight, signal.reason)
    }
  }

  /** Cancels any grant in flight and refuses further ones (the client is closing). */
  close(): void {
    this.#closed = true
    if (this.#inFlight) this.#abandon(this.#inFlight, new Error('token manager closed'))
    this.clear()
  }

  #startGrant(): GrantInFlight {
    const controller = new AbortController()
    // Real time, like every deadline on sockets (see OperationScope).
    const deadline = setTimeout(
      () => controller.abort(new QubsError({ kind: 'timeout', title: 'Token request deadline passed' })),
      this.#options.timeouts.operationMs,
    )
    deadline.unref()
    const flight: GrantInFlight = {
      controller,
      waiters: 0,
      promise: this.#obtain(controller.signal).finally(() => {
        clearTimeout(deadline)
        if (this.#inFlight === flight) this.#inFlight = undefined
      }),
    }
    // Nobody may be waiting when it fails (every caller gave up): that rejection is handled here.
    flight.promise.catch(() => undefined)
    return flight
  }

  /** Stops a grant nobody waits for any more; the next caller starts a fresh one. */
  #abandon(flight: GrantInFlight, reason: unknown): void {
    if (this.#inFlight === flight) this.#inFlight = undefined
    flight.controller.abort(reason)
  }

  /**
   * The API refused `token` (401): forget it so the next call gets a fresh one. Only the token that was
   * refused is dropped, so a burst of 401s for the same token leads to one refresh, not one each.
   */
  invalidate(token: string): void {
    if (this.#access?.value === token) this.#access = undefined
  }

  /** Forgets every token (settings changed, sign-out). */
  clear(): void {
    this.#access = undefined
    this.#refresh = undefined
  }

  async #obtain(signal: AbortSignal): Promise<HeldToken> {
    const refresh = this.#refresh
    if (refresh && this.#options.clock.now() < refresh.expiresAtMs) {
      try {
        return await this.#grant(signal, 'refresh_token', refresh.value)
      } catch (error) {
        if (signal.aborted) throw error
        // A refused or failed refresh is not fatal: client credentials still work. Drop the refresh
        // token so we do not try it again.
        this.#refresh = undefined
        this.#log.info('refresh token refused; using client credentials', {
          kind: error instanceof QubsError ? error.kind : 'unknown',
          status: error instanceof QubsError ? error.status : undefined,
        })
      }
    } else if (refresh) {
      this.#refresh = undefined
    }
    return this.#grant(signal, 'client_credentials')
  }

  async #grant(signal: AbortSignal, grant: Grant, refreshToken?: string): Promise<HeldToken> {
    const { settings, clock, timeouts, dispatcher } = this.#options
    const secret = await readClientSecret(this.#options.vault)
    const form = new URLSearchParams({ grant_type: grant })
    if (grant === 'refresh_token' && refreshToken !== undefined) form.set('refresh_token', refreshToken)
    form.set('client_id', settings.clientId)
    form.set('client_secret', secret)
    if (grant === 'refresh_token') this.#refreshTokenGrants += 1
    else this.#clientCredentialsGrants += 1

    const startedAt = clock.now()
    let response: Dispatcher.ResponseData
    try {
      response = await send(dispatcher, settings.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      })
    } catch (error) {
      throw grantFailure(error, signal)
    }
    const status = response.statusCode
    let text: string
    try {
      text = await readBodyText(response.body, MAX_TOKEN_BODY_BYTES, { status, correlationId: undefined })
    } catch (error) {
      await discardBody(response.body)
      throw grantFailure(error, signal)
    }

    if (status < 200 || status > 299) {
      const problem = problemToError({
        status,
        headers: response.headers,
        bodyText: text,
        correlationId: undefined,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], clock.now(), response.headers.date),
      })
      this.#log.warn('token request refused', { status, grant, code: problem.title })
      if (status === 400 || status === 401 || status === 403) {
        // Wrong id or secret (or a revoked client): asking again cannot help, so this is not retryable.
        this.#access = undefined
        if (grant === 'client_credentials') this.#refresh = undefined
        throw new QubsError({
          kind: 'auth',
          status,
          ...(problem.title ? { title: problem.title } : {}),
          ...(problem.requestId ? { requestId: problem.requestId } : {}),
        })
      }
      throw problem
    }

    const parsed = TokenResponseSchema.safeParse(parseJsonText(text))
    if (!parsed.success) {
      this.#log.warn('token response in an unexpected shape', { status, grant })
      throw new QubsError({
        kind: 'invalid-response',
        status,
        requestId: headerValue(response.headers['x-request-id']),
      })
    }
    const body = parsed.data
    const lifetimeMs =
      body.expires_in !== undefined ? body.expires_in * 1000 : DEFAULT_ACCESS_TOKEN_LIFETIME_MS
    // Expiry counts from when we asked, not when the answer arrived: the server's clock started earlier.
    const expiresAtMs = startedAt + lifetimeMs
    const skewMs = Math.min(this.#options.refreshSkewMs ?? 60_000, lifetimeMs / 4)
    const token: HeldToken = { value: body.access_token, expiresAtMs, refreshAtMs: expiresAtMs - skewMs }
    this.#access = token
    if (body.refresh_token) {
      const statedSeconds = body.refresh_token_expires_in ?? body.refresh_expires_in
      const refreshLifetimeMs =
        statedSeconds !== undefined && statedSeconds !== null
          ? statedSeconds * 1000
          : (this.#options.refreshTokenLifetimeMs ?? DEFAULT_REFRESH_TOKEN_LIFETIME_MS)
      this.#refresh = { value: body.refresh_token, expiresAtMs: startedAt + refreshLifetimeMs }
    }
    // Without a new refresh token the old one (if any) stays usable until its own expiry.
    this.#log.info('access token obtained', {
      grant,
      durationMs: clock.now() - startedAt,
      expiresInMs: lifetimeMs,
    })
    return token
  }
}

/** What a failed grant request throws: its deadline as a timeout, anything else as the transport saw it. */
function grantFailure(error: unknown, signal: AbortSignal): QubsError {
  if (signal.aborted && signal.reason instanceof QubsError) return signal.reason
  return transportToError(error, undefined)
}
