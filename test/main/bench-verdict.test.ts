import { describe, expect, it } from 'vitest'
import { METRIC_NAMES, type MetricName } from '../../bench/metrics'
import { notMeasured, ResultsSchema, type MetricResult } from '../../bench/results-schema'
import { resultsTable, verdictOf } from '../../bench/verdict'

const measured = (value: number | boolean): MetricResult => ({ status: 'measured', value })

function allMetrics(result: MetricResult): Record<MetricName, MetricResult> {
  return Object.fromEntries(METRIC_NAMES.map((n) => [n, result])) as Record<MetricName, MetricResult>
}

const MACHINE = {
  cpuModel: 'Test CPU',
  cores: 2,
  memoryMB: 4096,
  node: '24.0.0',
  chromium: '140.0.0.0',
  platform: 'linux x64',
  date: '2026-12-01T12:00:00.000Z',
  gitCommit: 'abc123',
}

describe('bench verdicts', () => {
  it('judges "at most", "below" and "true" targets at their edges', () => {
    expect(verdictOf({ kind: 'at-most', value: 1.2 }, measured(1.2))).toBe('meets')
    expect(verdictOf({ kind: 'at-most', value: 1.2 }, measured(1.21))).toBe('misses')
    expect(verdictOf({ kind: 'below', value: 16 }, measured(16))).toBe('misses')
    expect(verdictOf({ kind: 'below', value: 16 }, measured(15.9))).toBe('meets')
    expect(verdictOf({ kind: 'true' }, measured(true))).toBe('meets')
    expect(verdictOf({ kind: 'true' }, measured(false))).toBe('misses')
    expect(verdictOf(null, measured(3))).toBe('no target')
    expect(verdictOf({ kind: 'below', value: 16 }, notMeasured('no editor'))).toBe('not measured')
  })

  it('prints one row per metric in the issue order, with value, target and verdict', () => {
    const metrics = { ...allMetrics(measured(1)), inputP95Ms2MiB: notMeasured('the editor field is missing') }
    const lines = resultsTable(metrics).split('\n')
    expect(lines).toHaveLength(METRIC_NAMES.length + 2)
    expect(lines[0]).toMatch(/^metric\s+value\s+target\s+verdict$/)
    expect(lines[2]).toMatch(/^walkRatio5k\s+1\.00×\s+≤ 1\.2\s+meets$/)
    expect(lines.find((l) => l.startsWith('inputP95Ms2MiB'))).toMatch(
      /not measured: the editor field is missing\s+< 16\s+not measured$/,
    )
    expect(lines.find((l) => l.startsWith('heapMB50k'))).toMatch(/1\.0 MB\s+—\s+no target$/)
  })
})

describe('bench results schema', () => {
  it('accepts a complete result and refuses a missing metric or a not-measured one with a number', () => {
    const metrics = allMetrics(measured(1))
    expect(ResultsSchema.parse({ machine: MACHINE, durationMs: 1, metrics }).metrics.walkRatio5k).toEqual(
      measured(1),
    )
    const { walkRatio5k: _dropped, ...missing } = metrics
    expect(() => ResultsSchema.parse({ machine: MACHINE, durationMs: 1, metrics: missing })).toThrow()
    const faked = { ...metrics, coldStartMs: { status: 'not-measured', reason: 'x', value: 3 } }
    expect(() => ResultsSchema.parse({ machine: MACHINE, durationMs: 1, metrics: faked })).toThrow()
    const unnamed = { ...metrics, walkRatio: measured(1) }
    expect(() => ResultsSchema.parse({ machine: MACHINE, durationMs: 1, metrics: unnamed })).toThrow()
  })
})
