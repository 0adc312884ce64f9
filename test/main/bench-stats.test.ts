import { describe, expect, it } from 'vitest'
import { median, percentile, summarize } from '../../bench/stats'
import { compareInterleaved } from '../../bench/rounds'

describe('bench statistics', () => {
  it('takes nearest-rank percentiles: a p95 that was actually measured', () => {
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i) // 20 … 1, unsorted on purpose
    expect(percentile(samples, 95)).toBe(19)
    expect(percentile(samples, 100)).toBe(20)
    expect(percentile(samples, 50)).toBe(10)
    expect(percentile([7], 99)).toBe(7)
    // Rank ceil(0.9 × 7) = 7, not the 6th: a nearest-rank p90 of 7 samples is the largest.
    expect(percentile([1, 2, 3, 4, 5, 6, 7], 90)).toBe(7)
  })

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([5, 1, 3])).toBe(3)
  })

  it('refuses no samples, non-finite samples and a percentile out of range', () => {
    expect(() => percentile([], 50)).toThrow(RangeError)
    expect(() => median([1, Number.NaN])).toThrow(RangeError)
    expect(() => percentile([1], 0)).toThrow(RangeError)
    expect(() => percentile([1], 101)).toThrow(RangeError)
  })

  it('summarizes a series', () => {
    expect(summarize([3, 1, 2])).toEqual({ n: 3, min: 1, median: 2, p95: 3, p99: 3, max: 3 })
  })
})

describe('interleaved comparison', () => {
  /** A clock the sides advance by their scripted durations. */
  function scripted(durations: Record<string, number[]>) {
    let t = 0
    const order: string[] = []
    const side = (name: string) => ({
      name,
      run: async () => {
        order.push(name)
        t += durations[name]!.shift()!
      },
    })
    return { now: () => t, order, side }
  }

  it('alternates the order, drops the warm-up rounds and takes the median of per-round ratios', async () => {
    // Warm-up round (app 100, floor 1) must not count; then ratios 2, 3, 10 → median 3.
    const clock = scripted({ app: [100, 20, 30, 100], floor: [1, 10, 10, 10] })
    const result = await compareInterleaved({
      app: clock.side('app'),
      floor: clock.side('floor'),
      rounds: 3,
      warmupRounds: 1,
      now: clock.now,
    })
    expect(clock.order).toEqual(['floor', 'app', 'app', 'floor', 'floor', 'app', 'app', 'floor'])
    expect(result.ratios).toEqual([2, 3, 10])
    expect(result.ratio).toBe(3)
    expect(result.app.n).toBe(3)
    expect(result.floor.median).toBe(10)
  })

  it('refuses a floor that took no time, and nonsense round counts', async () => {
    const clock = scripted({ app: [5], floor: [0] })
    await expect(
      compareInterleaved({
        app: clock.side('app'),
        floor: clock.side('floor'),
        rounds: 1,
        warmupRounds: 0,
        now: clock.now,
      }),
    ).rejects.toThrow(/no measurable time/)
    await expect(
      compareInterleaved({ app: clock.side('app'), floor: clock.side('floor'), rounds: 0, warmupRounds: 0 }),
    ).rejects.toThrow(RangeError)
  })
})
