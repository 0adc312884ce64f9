import { describe, expect, it } from 'vitest'
import { seededRandom, type Random } from '../../../src-main/common/clock'
import { RetryPolicy } from '../../../src-main/core/outbox'

/** A Random whose every draw is the given fraction, to read the policy's bounds exactly. */
function fixedRandom(fraction: number): Random {
  const base = seededRandom(1)
  return { ...base, next: () => fraction }
}

describe('outbox retry policy', () => {
  it('never waits less than Retry-After', () => {
    const policy = new RetryPolicy({ random: fixedRandom(0), baseMs: 1_000, maxMs: 60_000 })
    expect(policy.delayMs(1, 120_000)).toBeGreaterThanOrEqual(120_000)
  })

  it('keeps growing and jittering when Retry-After is 0 or tiny, so a busy QUBS is not hammered', () => {
    const policy = new RetryPolicy({ random: fixedRandom(0.5), baseMs: 1_000, maxMs: 60_000 })
    const delays = [1, 2, 3, 4, 5].map((failures) => policy.delayMs(failures, 0))
    // Growth: every further failure waits longer than the one before.
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!)
    expect(delays[4]!).toBeGreaterThanOrEqual(8_000)
    // Jitter: different draws give different waits for the same failure count.
    const low = new RetryPolicy({ random: fixedRandom(0.1), baseMs: 1_000, maxMs: 60_000 }).delayMs(4, 1)
    const high = new RetryPolicy({ random: fixedRandom(0.9), baseMs: 1_000, maxMs: 60_000 }).delayMs(4, 1)
    expect(high).toBeGreaterThan(low)
  })

  it('a missing or nonsensical Retry-After falls back to the backoff, never to "now"', () => {
    const policy = new RetryPolicy({ random: fixedRandom(0), baseMs: 1_000, maxMs: 60_000 })
    for (const bad of [undefined, Number.NaN, -5, Number.POSITIVE_INFINITY]) {
      expect(policy.delayMs(1, bad)).toBeGreaterThanOrEqual(250)
    }
  })
})
