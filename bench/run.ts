/**
 * `npm run bench`: every benchmark of issue #14 in one run, each comparison with both sides in the same
 * run; prints one table with a verdict per target and writes bench/results.json. Not part of CI's
 * pass/fail (its pure helpers are unit-tested). A benchmark that cannot run says why in its figure
 * ("not measured: …") and the run goes on.
 *
 *   node scripts/run-ts.cjs bench/run.ts [--only node|renderer] [--rounds N] [--out FILE]
 */
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { runRendererBenchmarks as RunRendererBenchmarks } from './renderer/run-renderer'
import { resolve } from 'node:path'
import { z } from 'zod'
import { createLogger, stderrSink } from '../src-main/common/logger'
import { describeMachine } from './machine'
import { METRIC_NAMES, type MetricName } from './metrics'
import { notMeasured, ResultsSchema, type MetricResult, type Results } from './results-schema'
import { cliWalkRatio } from './node/cli-walk'
import { drainRatio, drainUnderFaults } from './node/drain'
import { enqueueFigures } from './node/enqueue'
import { walkRatio } from './node/walk'
import { resultsTable } from './verdict'

type RendererModule = { readonly runRendererBenchmarks: typeof RunRendererBenchmarks }

const ROOT = resolve(import.meta.dirname, '..')
const log = createLogger('bench', { sink: stderrSink })

const ArgsSchema = z.strictObject({
  only: z.enum(['all', 'node', 'renderer']).default('all'),
  rounds: z.coerce.number().int().min(1).max(50).default(5),
  out: z.string().min(1).default(resolve(ROOT, 'bench/results.json')),
})

function parseArgs(argv: readonly string[]): z.infer<typeof ArgsSchema> {
  const raw: Record<string, string> = {}
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!
    const value = argv[i + 1]
    if (!flag.startsWith('--') || value === undefined)
      throw new Error(`usage: run.ts [--only node|renderer] [--rounds N] [--out FILE]`)
    raw[flag.slice(2)] = value
  }
  return ArgsSchema.parse(raw)
}

type Figures = Partial<Record<MetricName, MetricResult>>

/** Runs one benchmark; a failure becomes "not measured" for its figures, with the reason. */
async function measure(
  label: string,
  names: readonly MetricName[],
  run: () => Promise<Figures>,
): Promise<Figures> {
  const start = performance.now()
  process.stdout.write(`▸ ${label} … `)
  try {
    const figures = await run()
    process.stdout.write(`${((performance.now() - start) / 1_000).toFixed(1)} s\n`)
    return figures
  } catch (error) {
    // One line: Playwright's messages carry a call log below the first line.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300)
    process.stdout.write(`failed: ${reason}\n`)
    return Object.fromEntries(names.map((n) => [n, notMeasured(`${label} failed: ${reason}`)]))
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const started = performance.now()
  const date = new Date()
  const figures: Figures = {}
  const add = (more: Figures) => Object.assign(figures, more)
  if (args.only !== 'renderer') {
    const r = args.rounds
    add(
      await measure('walk 5 000', ['walkRatio5k'], async () => ({ walkRatio5k: await walkRatio(5_000, r) })),
    )
    add(
      await measure('walk 50 000', ['walkRatio50k'], async () => ({
        walkRatio50k: await walkRatio(50_000, Math.min(r, 3)),
      })),
    )
    add(
      await measure('CLI worklist --json 5 000', ['cliWalkRatio5k'], async () => ({
        cliWalkRatio5k: await cliWalkRatio(r),
      })),
    )
    add(
      await measure(
        'outbox enqueue 1 000',
        ['enqueuePerSecond', 'enqueueP99Ms', 'enqueueRatio'],
        async () => ({
          ...(await enqueueFigures(Math.min(r, 3))),
        }),
      ),
    )
    add(
      await measure('outbox drain 1 000', ['drainRatio'], async () => ({
        drainRatio: await drainRatio(Math.min(r, 2)),
      })),
    )
    add(
      await measure(
        'outbox drain 1 000, 20 % faults',
        ['drainExactlyOnceUnderFaults', 'drainMsUnderFaults'],
        async () => ({
          ...(await drainUnderFaults()),
        }),
      ),
    )
  }
  let chromium = 'not run'
  if (args.only !== 'node') {
    // Imported only now: the renderer side loads the IPC contract, whose zod-setup turns zod's JIT off
    // for the whole process (the page's CSP forbids eval); the Node figures above must not inherit it.
    // Through the CommonJS require that tsx hooks (a dynamic import() would go to Node's ESM loader).
    const { runRendererBenchmarks } = createRequire(__filename)('./renderer/run-renderer') as RendererModule
    const renderer = await runRendererBenchmarks({ measure, rounds: args.rounds })
    chromium = renderer.chromiumVersion
    add(renderer.figures)
  }
  const metrics = Object.fromEntries(
    METRIC_NAMES.map((name) => [name, figures[name] ?? notMeasured(`skipped by --only ${args.only}`)]),
  ) as Results['metrics']
  const results = ResultsSchema.parse({
    machine: describeMachine(ROOT, chromium, date),
    durationMs: performance.now() - started,
    metrics,
  })
  process.stdout.write(`\n${resultsTable(results.metrics)}\n\n`)
  const m = results.machine
  process.stdout.write(
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryMB} MB, node ${m.node}, chromium ${m.chromium}; ${(results.durationMs / 60_000).toFixed(1)} min\n`,
  )
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`wrote ${args.out}\n`)
}

main().catch((error: unknown) => {
  log.error('bench run failed', { error })
  process.exitCode = 1
})
