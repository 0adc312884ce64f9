/**
 * The shape of bench/results.json, checked before it is written and whenever it is read back: a
 * measured figure carries its value (and its samples where there are rounds); a figure that could not
 * be measured says why, and never carries a number.
 */
import { z } from 'zod'
import { METRIC_NAMES } from './metrics'
import type { Comparison } from './rounds'
import { SampleSummarySchema } from './stats'

export const MeasuredSchema = z.strictObject({
  status: z.literal('measured'),
  value: z.union([z.number().finite(), z.boolean()]),
  /** Per side for a comparison ('app' / 'floor'), or the one series. */
  samples: z.record(z.string(), SampleSummarySchema).optional(),
  note: z.string().max(500).optional(),
})

export const NotMeasuredSchema = z.strictObject({
  status: z.literal('not-measured'),
  reason: z.string().min(1).max(500),
})

export const MetricResultSchema = z.discriminatedUnion('status', [MeasuredSchema, NotMeasuredSchema])
export type MetricResult = z.infer<typeof MetricResultSchema>

export const MachineSchema = z.strictObject({
  cpuModel: z.string(),
  cores: z.number().int().min(1),
  memoryMB: z.number().int().min(1),
  node: z.string(),
  chromium: z.string(),
  platform: z.string(),
  date: z.iso.datetime(),
  gitCommit: z.string(),
})
export type Machine = z.infer<typeof MachineSchema>

export const ResultsSchema = z.strictObject({
  machine: MachineSchema,
  durationMs: z.number().min(0),
  metrics: z.strictObject(
    Object.fromEntries(METRIC_NAMES.map((name) => [name, MetricResultSchema])) as Record<
      (typeof METRIC_NAMES)[number],
      typeof MetricResultSchema
    >,
  ),
})
export type Results = z.infer<typeof ResultsSchema>

export function notMeasured(reason: string): MetricResult {
  return { status: 'not-measured', reason: reason.slice(0, 500) }
}

/** A ratio against the floor: the median per-round ratio, with both sides' samples. */
export function ratioResult(comparison: Comparison, note: string): MetricResult {
  return {
    status: 'measured',
    value: comparison.ratio,
    samples: { app: comparison.app, floor: comparison.floor },
    note,
  }
}
