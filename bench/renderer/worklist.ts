/**
 * The worklist in Chromium (issue #14 §4 and §6): filter keystroke → repaint p95 with every appointment
 * listed, the JS heap after a GC, and an offline cold start to a usable worklist from the cache.
 */
import type { MetricResult } from '../results-schema'
import { summarize } from '../stats'
import { pressKey, type BenchKey } from './cdp-keys'
import type { PageGlobals } from './page-dom'
import { GRID, sleep, type RendererRig } from './rig'

const FILTER = '[aria-label="Filter worklist"]'

/** Loads the page and waits until the grid lists every pending appointment (fetched and cached). */
export async function loadWorklist(rig: RendererRig): Promise<number> {
  const start = performance.now()
  await rig.page.goto(rig.url)
  await rig.waitForRows(rig.pending, 600_000)
  // The list is shown first and stored after; the refresh ends (the button leaves "Refreshing…") once
  // the snapshot is committed to IndexedDB. A relaunch before that would find no cache.
  await rig.page
    .getByRole('button', { name: 'Refresh', exact: true })
    .and(rig.page.locator(':enabled'))
    .waitFor({ timeout: 600_000 })
  return performance.now() - start
}

/**
 * Alternately types "q" and Backspace into the filter: each keystroke changes the listed rows (few
 * names, ids, studies or sites hold a "q"), so each one must re-filter the whole list and repaint the
 * grid. Timed from the trusted keydown to the frame after the grid's row count changed.
 */
export async function filterP95(rig: RendererRig, samples: number): Promise<MetricResult> {
  await rig.page.locator(FILTER).focus()
  const times: number[] = []
  const warmup = 4
  for (let i = 0; i < warmup + samples; i += 1) {
    const key: BenchKey = i % 2 === 0 ? { char: 'q' } : 'Backspace'
    const ms = await rig.timed(
      { kind: 'attr', start: 'keydown', selector: GRID, attribute: 'aria-rowcount', timeoutMs: 20_000 },
      () => pressKey(rig.cdp, key),
    )
    if (i >= warmup) times.push(ms)
    await sleep(50)
  }
  const summary = summarize(times)
  return { status: 'measured', value: summary.p95, samples: { keystroke: summary } }
}

export async function heapMB(rig: RendererRig): Promise<MetricResult> {
  await rig.cdp.send('HeapProfiler.enable')
  await rig.cdp.send('HeapProfiler.collectGarbage')
  const usage = await rig.cdp.send('Runtime.getHeapUsage')
  return {
    status: 'measured',
    value: usage.usedSize / 2 ** 20,
    note: `used ${Math.round(usage.usedSize / 2 ** 20)} of ${Math.round(usage.totalSize / 2 ** 20)} MB after HeapProfiler.collectGarbage`,
  }
}

/**
 * One offline cold start: Chromium relaunched on the same profile, the sandbox stopped; from the
 * navigation's time origin until the grid shows rows and an ArrowDown moved its active row. Returns the
 * first-rows time and the usable time (both ms since navigation start, read in the page).
 */
export async function coldStartOnce(rig: RendererRig): Promise<{ rowsMs: number; usableMs: number }> {
  await rig.relaunch()
  const { page } = rig
  await page.goto(rig.url, { waitUntil: 'commit' })
  await page.waitForFunction(
    (rows) => (globalThis as unknown as PageGlobals).document.querySelectorAll(rows).length > 2,
    `${GRID} [role="row"]`,
    { polling: 'raf', timeout: 60_000 },
  )
  const rowsMs = await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.now())
  const before = await page.evaluate(
    (grid) =>
      (globalThis as unknown as PageGlobals).document
        .querySelector(grid)
        ?.getAttribute('aria-activedescendant') ?? null,
    GRID,
  )
  await page.evaluate(
    (grid) => (globalThis as unknown as PageGlobals).document.querySelector(grid)?.focus(),
    GRID,
  )
  await pressKey(rig.cdp, 'ArrowDown')
  await page.waitForFunction(
    ([grid, was]) =>
      ((globalThis as unknown as PageGlobals).document
        .querySelector(grid)
        ?.getAttribute('aria-activedescendant') ?? null) !== was,
    [GRID, before] as const,
    { polling: 'raf', timeout: 10_000 },
  )
  const usableMs = await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.now())
  return { rowsMs, usableMs }
}

/** The cold-start figure from its rounds: the median time to usable, with the first-rows times. */
export function coldStartResult(usable: readonly number[], rows: readonly number[]): MetricResult {
  const summary = summarize(usable)
  const firstRows = summarize(rows)
  return {
    status: 'measured',
    value: summary.median,
    samples: { usable: summary, firstRows },
    note: `median of ${usable.length} relaunches, sandbox stopped; first rows at ${firstRows.median.toFixed(0)} ms`,
  }
}
