/**
 * Order statistics over the samples of one benchmark side. Nearest-rank percentiles (no interpolation):
 * the reported p95 is a time that was actually measured, and with 20 samples it is the 19th, not a value
 * between two of them.
 */
import { z } from 'zod'

export const SampleSummarySchema = z.strictObject({
  n: z.number().int().min(1),
  min: z.number(),
  median: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
})
export type SampleSummary = z.infer<typeof SampleSummarySchema>

function sortedFinite(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('no samples')
  if (samples.some((s) => !Number.isFinite(s))) throw new RangeError('samples must be finite numbers')
  return [...samples].sort((a, b) => a - b)
}

/** The nearest-rank percentile `p` (0 < p ≤ 100) of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError('p must be in (0, 100]')
  const sorted = sortedFinite(samples)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[rank - 1]!
}

/** The median; for an even count the mean of the two middle samples. */
export function median(samples: readonly number[]): number {
  const sorted = sortedFinite(samples)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function summarize(samples: readonly number[]): SampleSummary {
  const sorted = sortedFinite(samples)
  return {
    n: sorted.length,
    min: sorted[0]!,
    median: median(sorted),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  }
}
