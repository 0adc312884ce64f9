/**
 * A comparison of the app against its floor, both sides in the same run: warm-up rounds that are not
 * counted, then rounds in which each side runs once, the order alternating (A B, B A, …) so neither side
 * always runs on the warmer cache or the quieter moment. The machine is shared, so load drifts between
 * two series; the ratio is therefore the median of the per-round ratios, not a ratio of two medians.
 */
import { median, summarize, type SampleSummary } from './stats'

export interface Side {
  readonly name: string
  /** One timed run. */
  readonly run: () => Promise<unknown>
  /** Untimed set-up before each run (a fresh queue to drain, say). */
  readonly prepare?: () => Promise<unknown>
}

export interface ComparisonOptions {
  readonly app: Side
  readonly floor: Side
  readonly rounds: number
  readonly warmupRounds: number
  /** Milliseconds since an arbitrary origin; `performance.now` in a real run, injected in tests. */
  readonly now?: () => number
}

export interface Comparison {
  readonly app: SampleSummary
  readonly floor: SampleSummary
  /** Median over rounds of app time / floor time. */
  readonly ratio: number
  readonly ratios: readonly number[]
}

async function timed(side: Side, now: () => number): Promise<number> {
  await side.prepare?.()
  const start = now()
  await side.run()
  return now() - start
}

export async function compareInterleaved(options: Readonly<ComparisonOptions>): Promise<Comparison> {
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new RangeError('rounds must be ≥ 1')
  if (!Number.isInteger(options.warmupRounds) || options.warmupRounds < 0) {
    throw new RangeError('warmupRounds must be ≥ 0')
  }
  const now = options.now ?? (() => performance.now())
  const appMs: number[] = []
  const floorMs: number[] = []
  const ratios: number[] = []
  for (let round = -options.warmupRounds; round < options.rounds; round += 1) {
    const appFirst = (round & 1) === 0
    let app: number
    let floor: number
    if (appFirst) {
      app = await timed(options.app, now)
      floor = await timed(options.floor, now)
    } else {
      floor = await timed(options.floor, now)
      app = await timed(options.app, now)
    }
    if (round < 0) continue
    if (floor <= 0) throw new RangeError(`${options.floor.name} took no measurable time`)
    appMs.push(app)
    floorMs.push(floor)
    ratios.push(app / floor)
  }
  return { app: summarize(appMs), floor: summarize(floorMs), ratio: median(ratios), ratios }
}

/** Repeats one timed run: `warmup` uncounted runs, then `runs` counted ones. */
export async function sampleRuns(
  run: () => Promise<unknown>,
  options: Readonly<{ runs: number; warmup: number; now?: () => number }>,
): Promise<number[]> {
  const now = options.now ?? (() => performance.now())
  const samples: number[] = []
  for (let i = -options.warmup; i < options.runs; i += 1) {
    const ms = await timed({ name: 'run', run }, now)
    if (i >= 0) samples.push(ms)
  }
  return samples
}
