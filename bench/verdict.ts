/**
 * Judging each figure against its target and printing the one table of a run. Pure: the runner hands
 * in the results, this returns text.
 */
import { METRIC_NAMES, METRICS, type MetricName, type Target } from './metrics'
import type { MetricResult, Results } from './results-schema'

export type Verdict = 'meets' | 'misses' | 'no target' | 'not measured'

export function verdictOf(target: Target | null, result: MetricResult): Verdict {
  if (result.status === 'not-measured') return 'not measured'
  if (target === null) return 'no target'
  const { value } = result
  switch (target.kind) {
    case 'true':
      return value === true ? 'meets' : 'misses'
    case 'at-most':
      return typeof value === 'number' && value <= target.value ? 'meets' : 'misses'
    case 'below':
      return typeof value === 'number' && value < target.value ? 'meets' : 'misses'
  }
}

export function formatTarget(target: Target | null): string {
  if (target === null) return '—'
  if (target.kind === 'true') return 'true'
  return `${target.kind === 'at-most' ? '≤' : '<'} ${target.value}`
}

export function formatValue(name: MetricName, result: MetricResult): string {
  if (result.status === 'not-measured') return `not measured: ${result.reason}`
  const { value } = result
  if (typeof value === 'boolean') return String(value)
  const unit = METRICS[name].unit
  if (unit === 'ratio') return `${value.toFixed(2)}×`
  if (unit === 'per-second') return `${value.toFixed(0)}/s`
  if (unit === 'MB') return `${value.toFixed(1)} MB`
  return `${value.toFixed(1)} ms`
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length))
}

/** One row per metric, in the order: name, value, target, verdict. */
export function resultsTable(metrics: Results['metrics']): string {
  const rows = METRIC_NAMES.map((name) => {
    const result = metrics[name]
    const target = METRICS[name].target
    return [name, formatValue(name, result), formatTarget(target), verdictOf(target, result)]
  })
  const header = ['metric', 'value', 'target', 'verdict']
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
