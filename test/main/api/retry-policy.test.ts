import { describe, expect, it } from 'vitest'
import { ManualClock, seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import { QubsError } from '../../../src-main/core/api/errors'
import { HttpPipeline } from '../../../src-main/core/api/http-pipeline'
import {
  backoffDelayMs,
  decideRetry,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  resolveRetryPolicy,
  type RetryPolicyOptions,
} from '../../../src-main/core/api/retry-policy'
import type { TokenManager } from '../../../src-main/core/api/token-manager'
import { DEFAULT_TIMEOUTS } from '../../../src-main/core/api/transport'

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0)

function policy(overrides: Partial<RetryPolicyOptions> = {}): RetryPolicyOptions {
  return resolveRetryPolicy({
    clock: new ManualClock(NOW),
    random: seededRandom(7),
    maxAttempts: 4,
    baseDelayMs: 100,
    capDelayMs: 1_000,
    maxRetryAfterMs: 60_000,
    ...overrides,
  })
}

const http = (status: number, retryAfterMs?: number) => new QubsError({ kind: 'http', status, retryAfterMs })

describe('parseRetryAfter', () => {
  it('caps an absurd value at a day instead of producing an unreachable due time', () => {
    expect(parseRetryAfter('9007199254741', NOW)).toBe(MAX_RETRY_AFTER_MS)
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS)
    expect(parseRetryAfter('86399', NOW)).toBe(86_399_000)
  })

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0)
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500)
    expect(parseRetryAfter(['7', '9'], NOW)).toBe(7_000)
  })

  it('reads an HTTP-date relative to the clock when the response has no Date header', () => {
    const at = new Date(NOW + 30_000).toUTCString()
    expect(parseRetryAfter(at, NOW)).toBe(30_000)
  })

  it('measures an HTTP-date against the response Date header, cancelling clock skew', () => {
    const serverNow = NOW + 3_600_000 // the server's clock is an hour ahead of ours
    const at = new Date(serverNow + 5_000).toUTCString()
    expect(parseRetryAfter(at, NOW, new Date(serverNow).toUTCString())).toBe(5_000)
    // Without the Date header the same value would look like an hour's wait: never shorter than asked.
    expect(parseRetryAfter(at, NOW)).toBe(3_605_000)
  })

  it('treats a date in the past as "now" because the server said so', () => {
    expect(parseRetryAfter(new Date(NOW - 10_000).toUTCString(), NOW)).toBe(0)
  })

  it('returns undefined for absent, garbage, negative and NaN values so callers fall back to backoff', () => {
    for (const value of [
      undefined,
      '',
      'soon',
      'NaN',
      '-5',
      '1e3',
      'Infinity',
      '12abc',
      'Foo, 99 Bar 2026',
    ]) {
      expect(parseRetryAfter(value, NOW), String(value)).toBeUndefined()
    }
  })
})

describe('parseRetryAfter: every HTTP-date form of RFC 9110 §5.6.7', () => {
  // 1994-11-06T08:49:37Z, the RFC's own example, in its three forms.
  const AT = Date.UTC(1994, 10, 6, 8, 49, 37)
  const before = AT - 90_000

  it('reads IMF-fixdate, RFC 850 and asctime as the same instant in GMT', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', before)).toBe(90_000)
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', before)).toBe(90_000)
    // asctime carries no zone; it is GMT by definition, never the machine's local time.
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', before)).toBe(90_000)
    expect(parseRetryAfter('Sun Nov  6 09:49:37 1994', before)).toBe(90_000 + 3_600_000)
  })

  it('reads each form against the response Date header in any of the three forms', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', 0, 'Sun Nov  6 08:48:37 1994')).toBe(60_000)
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', 0, 'Sunday, 06-Nov-94 08:49:07 GMT')).toBe(30_000)
  })

  it('refuses near-misses instead of guessing (they fall back to backoff, never "now")', () => {
    for (const value of [
      'Sun, 06 Nov 1994 08:49:37', // no GMT
      'Sun, 06 Nov 1994 08:49:37 PST',
      'Sunday, 06-Nov-94 08:49:37', // RFC 850 without GMT
      'Sun Nov  6 08:49:37 1994 GMT',
      'Sun, 31 Feb 1994 08:49:37 GMT', // no such day
      'Sun, 06 Nov 1994 25:49:37 GMT',
      '2026-01-01T00:00:00Z',
      '06 Nov 1994 08:49:37 GMT',
    ]) {
      expect(parseRetryAfter(value, before), value).toBeUndefined()
    }
  })
})

describe('backoffDelayMs', () => {
  it('is full jitter: uniform below min(cap, base·2^n), reproducible with a seeded random', () => {
    const a = policy({ random: seededRandom(3) })
    const b = policy({ random: seededRandom(3) })
    const delays = Array.from({ length: 8 }, (_, n) => backoffDelayMs(a, n))
    expect(Array.from({ length: 8 }, (_, n) => backoffDelayMs(b, n))).toEqual(delays)
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(Math.min(1_000, 100 * 2 ** n))
    })
  })

  it('never exceeds the cap however many retries', () => {
    const p = policy({ random: { next: () => 0.999999, uuid: () => 'x' } })
    expect(backoffDelayMs(p, 0)).toBe(99)
    expect(backoffDelayMs(p, 3)).toBe(799)
    expect(backoffDelayMs(p, 50)).toBe(999)
  })
})

describe('decideRetry', () => {
  const get = (attempt = 1) => ({ method: 'GET', hasIdempotencyKey: false, attempt })
  const postWithKey = (attempt = 1) => ({ method: 'POST', hasIdempotencyKey: true, attempt })
  const postWithoutKey = (attempt = 1) => ({ method: 'POST', hasIdempotencyKey: false, attempt })

  it('retries transient failures of a GET with backoff', () => {
    for (const error of [
      http(500),
      http(502),
      http(504),
      http(408),
      new QubsError({ kind: 'network' }),
      new QubsError({ kind: 'timeout' }),
    ]) {
      const decision = decideRetry(policy(), error, get())
      expect(decision).toMatchObject({ retry: true, reason: 'backoff' })
    }
  })

  it('honours Retry-After on 429 and 503 exactly, even above the backoff cap', () => {
    expect(decideRetry(policy(), http(429, 5_000), get())).toEqual({
      retry: true,
      delayMs: 5_000,
      reason: 'retry-after',
    })
    expect(decideRetry(policy(), http(503, 2_000), get())).toEqual({
      retry: true,
      delayMs: 2_000,
      reason: 'retry-after',
    })
    // A 429 without a usable Retry-After falls back to backoff rather than retrying at once.
    expect(decideRetry(policy(), http(429), get())).toMatchObject({ retry: true, reason: 'backoff' })
  })

  it('keeps exponential growth and jitter when Retry-After is 0 or tiny: the wait is the larger of the two', () => {
    const p = policy({ random: seededRandom(11) })
    const waits = [1, 2, 3].map((attempt) => decideRetry(p, http(429, 0), get(attempt)))
    for (const [index, decision] of waits.entries()) {
      if (!decision.retry) throw new Error('expected a retry')
      // Never back-to-back: at least half of the growing backoff ceiling (100, 200, 400 ms).
      expect(decision.delayMs).toBeGreaterThanOrEqual((100 * 2 ** index) / 2)
      expect(decision.delayMs).toBeLessThan(100 * 2 ** index)
    }
    const tiny = decideRetry(p, http(503, 1), get(3))
    expect(tiny.retry && tiny.delayMs).toBeGreaterThanOrEqual(200)
    // Jitter: the same attempt does not always wait the same time.
    const spread = new Set(
      Array.from({ length: 20 }, () => decideRetry(p, http(429, 0), get(2))).map((d) =>
        d.retry ? d.delayMs : -1,
      ),
    )
    expect(spread.size).toBeGreaterThan(5)
  })

  it('hands an over-long Retry-After back to the caller instead of shortening it', () => {
    expect(decideRetry(policy({ maxRetryAfterMs: 10_000 }), http(429, 30_000), get())).toEqual({
      retry: false,
      reason: 'retry-after-too-long',
    })
  })

  it('retries a POST only with an Idempotency-Key, or when nothing was sent', () => {
    expect(decideRetry(policy(), http(503), postWithKey())).toMatchObject({ retry: true })
    expect(decideRetry(policy(), http(503), postWithoutKey())).toEqual({
      retry: false,
      reason: 'unsafe-method',
    })
    expect(decideRetry(policy(), new QubsError({ kind: 'network' }), postWithoutKey())).toEqual({
      retry: false,
      reason: 'unsafe-method',
    })
    expect(
      decideRetry(policy(), new QubsError({ kind: 'network' }), { ...postWithoutKey(), notSent: true }),
    ).toMatchObject({
      retry: true,
    })
  })

  it('never retries 409 or other 4xx, invalid responses, auth, validation or aborts', () => {
    for (const status of [400, 401, 403, 404, 409, 413, 422]) {
      expect(decideRetry(policy(), http(status), postWithKey()).retry, String(status)).toBe(false)
      expect(decideRetry(policy(), http(status), get()).retry, String(status)).toBe(false)
    }
    for (const kind of ['invalid-response', 'auth', 'validation', 'aborted'] as const) {
      expect(decideRetry(policy(), new QubsError({ kind }), get()).retry, kind).toBe(false)
    }
  })

  it('stops after maxAttempts', () => {
    expect(decideRetry(policy({ maxAttempts: 3 }), http(500), get(2)).retry).toBe(true)
    expect(decideRetry(policy({ maxAttempts: 3 }), http(500), get(3))).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    })
    expect(decideRetry(policy({ maxAttempts: 1 }), http(500), get(1)).retry).toBe(false)
  })

  it('rejects nonsensical policies', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(RangeError)
    expect(() => resolveRetryPolicy({ baseDelayMs: Number.NaN })).toThrow(RangeError)
  })
})

describe('HttpPipeline.run with a ManualClock', () => {
  function pipeline(clock: ManualClock, overrides: Partial<RetryPolicyOptions> = {}) {
    return new HttpPipeline({
      settings: {
        tokenUrl: 'https://auth.example/t',
        apiBaseUrl: 'https://api.example',
        clientId: 'c',
        domains: ['acme'],
      },
      tokens: {} as TokenManager,
      dispatcher: {} as never,
      clock,
      random: seededRandom(11),
      logger: silentLogger,
      retry: policy({ clock, random: seededRandom(11), ...overrides }),
      timeouts: DEFAULT_TIMEOUTS,
    })
  }

  const tick = () => new Promise((resolve) => setImmediate(resolve))

  it('waits exactly the Retry-After before retrying, reusing the correlation id', async () => {
    const clock = new ManualClock(NOW)
    const seen: string[] = []
    const result = pipeline(clock).run({ method: 'GET', route: 'r' }, async ({ attempt, correlationId }) => {
      seen.push(correlationId)
      if (attempt === 1) throw http(429, 5_000)
      return 'ok'
    })
    await tick()
    expect(seen).toHaveLength(1)
    expect(clock.pendingSleepers).toBe(1)
    clock.advance(4_999)
    await tick()
    expect(seen).toHaveLength(1)
    clock.advance(1)
    await expect(result).resolves.toBe('ok')
    expect(seen).toHaveLength(2)
    expect(new Set(seen).size).toBe(1)
  })

  it('gives up after maxAttempts with the last error', async () => {
    const clock = new ManualClock(NOW)
    let calls = 0
    const settled = pipeline(clock, { maxAttempts: 3 })
      .run({ method: 'GET', route: 'r' }, async () => {
        calls += 1
        throw http(502)
      })
      .catch((e: unknown) => e)
    for (let i = 0; i < 5; i += 1) {
      await tick()
      clock.advance(1_000)
    }
    const error = await settled
    expect(error).toBeInstanceOf(QubsError)
    expect((error as QubsError).status).toBe(502)
    expect(calls).toBe(3)
  })

  it('stops waiting and reports aborted when the signal fires during a backoff', async () => {
    const clock = new ManualClock(NOW)
    const controller = new AbortController()
    const result = pipeline(clock).run({ method: 'GET', route: 'r', signal: controller.signal }, async () => {
      throw http(503, 10_000)
    })
    await tick()
    controller.abort()
    await expect(result).rejects.toMatchObject({ kind: 'aborted' })
  })
})
