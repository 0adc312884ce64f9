/**
 * Every figure of issue #14, named exactly as the issue names it, with its unit and its target. A
 * figure without a target in the issue is recorded and shown, never judged.
 */
export const NODE_METRICS = [
  'walkRatio5k',
  'walkRatio50k',
  'cliWalkRatio5k',
  'enqueuePerSecond',
  'enqueueP99Ms',
  'enqueueRatio',
  'drainRatio',
  'drainExactlyOnceUnderFaults',
  'drainMsUnderFaults',
] as const

/** Measured in Chromium through the harness. */
export const RENDERER_METRICS = [
  'filterP95Ms10k',
  'filterP95Ms50k',
  'heapMB50k',
  'inputP95Ms2MiB',
  'inputRatio2MiB',
  'coldStartMs',
  'pdfFirstPageMs',
] as const

export const METRIC_NAMES = [...NODE_METRICS, ...RENDERER_METRICS] as const

export type MetricName = (typeof METRIC_NAMES)[number]

export type Target =
  | { readonly kind: 'at-most'; readonly value: number }
  | { readonly kind: 'below'; readonly value: number }
  | { readonly kind: 'true' }

export interface MetricSpec {
  readonly unit: 'ratio' | 'ms' | 'per-second' | 'MB' | 'boolean'
  readonly target: Target | null
  /** One line for the table: what is measured against what. */
  readonly what: string
}

export const METRICS: Readonly<Record<MetricName, MetricSpec>> = {
  walkRatio5k: {
    unit: 'ratio',
    target: { kind: 'at-most', value: 1.2 },
    what: 'client walk of 5 000 (pageSize 100) / bare undici loop',
  },
  walkRatio50k: {
    unit: 'ratio',
    target: { kind: 'at-most', value: 1.2 },
    what: 'client walk of 50 000 (pageSize 100) / bare undici loop',
  },
  cliWalkRatio5k: {
    unit: 'ratio',
    target: { kind: 'at-most', value: 1.5 },
    what: 'CLI process worklist --json of 5 000 / bare node fetch process',
  },
  enqueuePerSecond: {
    unit: 'per-second',
    target: null,
    what: 'outbox enqueues of a 10 KB report per second',
  },
  enqueueP99Ms: { unit: 'ms', target: null, what: 'outbox enqueue p99 (synchronous=FULL)' },
  enqueueRatio: {
    unit: 'ratio',
    target: { kind: 'at-most', value: 1.5 },
    what: '1 000 enqueues / raw node:sqlite INSERT+COMMIT, same bytes and settings',
  },
  drainRatio: {
    unit: 'ratio',
    target: { kind: 'at-most', value: 1.5 },
    what: 'drain of 1 000 reports / bare undici POSTs at the same concurrency',
  },
  drainExactlyOnceUnderFaults: {
    unit: 'boolean',
    target: { kind: 'true' },
    what: '20 % faults: every report committed once, per the sandbox effects',
  },
  drainMsUnderFaults: { unit: 'ms', target: null, what: 'drain of 1 000 reports with 20 % faults' },
  filterP95Ms10k: {
    unit: 'ms',
    target: { kind: 'below', value: 16 },
    what: 'filter keystroke → repaint p95, 10 000 rows',
  },
  filterP95Ms50k: { unit: 'ms', target: null, what: 'filter keystroke → repaint p95, 50 000 rows' },
  heapMB50k: { unit: 'MB', target: null, what: 'JS heap after GC with 50 000 rows' },
  inputP95Ms2MiB: {
    unit: 'ms',
    target: { kind: 'below', value: 16 },
    what: 'editor input p95 on a 2 MiB report while autosave runs',
  },
  inputRatio2MiB: { unit: 'ratio', target: null, what: 'editor input p95 / bare textarea page p95' },
  coldStartMs: {
    unit: 'ms',
    target: { kind: 'below', value: 1000 },
    what: 'offline cold start to a usable worklist from cache',
  },
  pdfFirstPageMs: {
    unit: 'ms',
    target: { kind: 'below', value: 300 },
    what: 'first page of a cached 2 MB PDF',
  },
}
