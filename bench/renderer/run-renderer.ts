/**
 * The renderer figures, in two rigs: 10 000 appointments (filter, editor input, offline cold start,
 * cached PDF) and 50 000 (filter, heap). Each figure is measured on its own; one that fails is "not
 * measured" with the reason and the others go on.
 */
import { RENDERER_METRICS, type MetricName } from '../metrics'
import { notMeasured, type MetricResult } from '../results-schema'
import { editorFigures } from './editor'
import { twoMegabytePdf } from './big-pdf'
import {
  cacheBigPdf,
  openAppointmentView,
  pdfFirstPageOnce,
  pdfResult,
  serveBigPdf,
  type BigPdfServing,
} from './pdf'
import { openRig, type RendererRig } from './rig'
import { coldStartOnce, coldStartResult, filterP95, heapMB, loadWorklist } from './worklist'

type Figures = Partial<Record<MetricName, MetricResult>>
export type Measure = (
  label: string,
  names: readonly MetricName[],
  run: () => Promise<Figures>,
) => Promise<Figures>

export interface RendererRun {
  readonly chromiumVersion: string
  readonly figures: Figures
}

async function withRig(
  measure: Measure,
  count: number,
  names: readonly MetricName[],
  body: (rig: RendererRig, figures: Figures) => Promise<void>,
  wrap?: Parameters<typeof openRig>[0]['wrap'],
): Promise<{ version: string | null; figures: Figures }> {
  const figures: Figures = {}
  let version: string | null = null
  const opened = await measure(`renderer: load ${count} appointments into Chromium`, names, async () => {
    const rig = await openRig({ appointments: count, ...(wrap ? { wrap } : {}) })
    version = rig.chromiumVersion
    try {
      await loadWorklist(rig)
      await body(rig, figures)
    } finally {
      await rig.close()
    }
    return {}
  })
  return { version, figures: { ...figures, ...opened } }
}

export async function runRendererBenchmarks(
  options: Readonly<{ measure: Measure; rounds: number }>,
): Promise<RendererRun> {
  const { measure, rounds } = options
  const pdfBytes = await twoMegabytePdf()
  let serving: BigPdfServing | null = null
  let pdfAppointment = ''
  let editorAppointment = ''
  const small = await withRig(
    measure,
    10_000,
    ['filterP95Ms10k', 'inputP95Ms2MiB', 'inputRatio2MiB', 'coldStartMs', 'pdfFirstPageMs'],
    async (rig, figures) => {
      Object.assign(
        figures,
        await measure('filter keystrokes, 10 000 rows', ['filterP95Ms10k'], async () => ({
          filterP95Ms10k: await filterP95(rig, 30),
        })),
      )
      await rig.page.getByRole('searchbox', { name: 'Filter worklist' }).fill('')
      await rig.waitForRows(rig.pending, 60_000)
      const cached = await measure('open the 2 MB PDF online (cache it)', ['pdfFirstPageMs'], async () => {
        await cacheBigPdf(rig, pdfAppointment)
        return {}
      })
      Object.assign(figures, cached)
      Object.assign(
        figures,
        await measure('offline cold starts and cached PDF', ['coldStartMs', 'pdfFirstPageMs'], async () => {
          await rig.app.sandbox.stop()
          await coldStartOnce(rig) // warm-up: the OS file cache, Chromium's own first start
          const usable: number[] = []
          const rows: number[] = []
          const pdf: number[] = []
          for (let i = 0; i < rounds; i += 1) {
            const once = await coldStartOnce(rig)
            usable.push(once.usableMs)
            rows.push(once.rowsMs)
            if (cached.pdfFirstPageMs === undefined) pdf.push(await pdfFirstPageOnce(rig, pdfAppointment))
          }
          return {
            coldStartMs: coldStartResult(usable, rows),
            ...(cached.pdfFirstPageMs === undefined
              ? { pdfFirstPageMs: pdfResult(pdf, serving!, pdfBytes.byteLength) }
              : {}),
          }
        }),
      )
      // Last, online again, on an appointment of its own: the 2 MiB draft it leaves must not weigh on the
      // cold starts or on opening the PDF's appointment (a 2 MiB draft takes its textarea ≈ 1 s to lay out).
      Object.assign(
        figures,
        await measure('editor input, 2 MiB report', ['inputP95Ms2MiB', 'inputRatio2MiB'], async () => {
          await rig.app.sandbox.start()
          await rig.page.goto(rig.url)
          await openAppointmentView(rig, editorAppointment)
          return { ...(await editorFigures(rig)) }
        }),
      )
    },
    (core, app) => {
      const [first, second] = app.sandbox.current.admin.pendingAppointmentIds('demo', 2)
      pdfAppointment = first ?? ''
      editorAppointment = second ?? ''
      serving = serveBigPdf(pdfAppointment, pdfBytes)
      return serving.wrap(core)
    },
  )
  const large = await withRig(measure, 50_000, ['filterP95Ms50k', 'heapMB50k'], async (rig, figures) => {
    Object.assign(
      figures,
      await measure('filter keystrokes, 50 000 rows', ['filterP95Ms50k'], async () => ({
        filterP95Ms50k: await filterP95(rig, 20),
      })),
    )
    await rig.page.getByRole('searchbox', { name: 'Filter worklist' }).fill('')
    await rig.waitForRows(rig.pending, 60_000)
    Object.assign(
      figures,
      await measure('JS heap, 50 000 rows', ['heapMB50k'], async () => ({ heapMB50k: await heapMB(rig) })),
    )
  })
  const figures: Figures = { ...small.figures, ...large.figures }
  for (const name of RENDERER_METRICS) {
    figures[name] ??= notMeasured('its rig did not reach this benchmark')
  }
  return { chromiumVersion: small.version ?? large.version ?? 'unknown (Chromium did not start)', figures }
}
