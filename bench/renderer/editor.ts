/**
 * Editor input on a 2 MiB report while autosave runs (issue #14 §5), against a bare page holding only a
 * textarea with the same 2 MiB: the same trusted keystrokes (CDP) into each, interleaved in blocks, each
 * timed from keydown to the frame after the `input` event reached the field. Typing pauses now and then
 * (700 ms) so the editor's debounced autosave runs and the next keystrokes land while it does.
 */
import type { Page } from 'playwright-core'
import type { MetricResult } from '../results-schema'
import { summarize } from '../stats'
import { pressKey } from './cdp-keys'
import type { PageElement } from './page-dom'
import { PAGE_PROBE, type ProbeSpec } from './page-probe'
import { sleep, timedOn, type RendererRig } from './rig'

export const REPORT_FIELD = 'textarea[aria-label="Report text"]'
const TWO_MIB = 2 * 2 ** 20
const BLOCKS = 6
const KEYS_PER_BLOCK = 8

/** 2 MiB of plain report-like ASCII text in lines. */
export function twoMebibyteReport(): string {
  const line = 'Bench report line: no acute abnormality, structures within normal limits.\n'
  return line.repeat(Math.ceil(TWO_MIB / line.length)).slice(0, TWO_MIB)
}

export interface EditorFigures {
  readonly inputP95Ms2MiB: MetricResult
  readonly inputRatio2MiB: MetricResult
}

async function fill(page: Page, text: string): Promise<void> {
  const field = page.locator(REPORT_FIELD)
  // As a paste from a dictation box arrives (one insertText, undoable, one input event); Playwright's
  // fill() of 2 MiB outran its 30 s bound on a loaded machine. Set-up, not timed.
  await field.evaluate((element, value) => {
    const el = element as unknown as PageElement & { select(): void }
    el.focus()
    el.select()
    ;(
      globalThis as unknown as { document: { execCommand(c: string, u: boolean, v: string): boolean } }
    ).document.execCommand('insertText', false, value)
    // The caret at the end, as after dictating a long report.
    el.setSelectionRange(el.value.length, el.value.length)
  }, text)
  const length = await field.evaluate((element) => (element as unknown as PageElement).value.length)
  if (length !== text.length)
    throw new Error(`the report field holds ${length} characters, not ${text.length}`)
}

async function typeBlock(rig: RendererRig, page: Page, into: number[], counted: boolean): Promise<void> {
  const cdp = await rig.context.newCDPSession(page)
  await page.bringToFront()
  await page.locator(REPORT_FIELD).focus()
  const spec: ProbeSpec = { kind: 'input', start: 'keydown', selector: REPORT_FIELD, timeoutMs: 10_000 }
  for (let i = 0; i < KEYS_PER_BLOCK; i += 1) {
    const ms = await timedOn(page, spec, () => pressKey(cdp, { char: 'abcdefgh'[i]! }))
    if (counted) into.push(ms)
    await sleep(i === KEYS_PER_BLOCK / 2 ? 700 : 60)
  }
  await cdp.detach()
}

/**
 * Needs the appointment open on `rig.page`. Without the editor's field there (the editor is not merged
 * yet) both figures are "not measured", with that reason.
 */
export async function editorFigures(rig: RendererRig): Promise<EditorFigures> {
  const found = await rig.page
    .locator(REPORT_FIELD)
    .waitFor({ timeout: 10_000 })
    .then(() => true)
    .catch(() => false)
  if (!found) {
    const reason = `no ${REPORT_FIELD} on the appointment view (the editor is not in this build)`
    return {
      inputP95Ms2MiB: { status: 'not-measured', reason },
      inputRatio2MiB: { status: 'not-measured', reason },
    }
  }
  const report = twoMebibyteReport()
  await fill(rig.page, report)
  const bare = await rig.context.newPage()
  try {
    await bare.setContent(
      '<!doctype html><textarea aria-label="Report text" rows="30" cols="100"></textarea>',
    )
    await bare.evaluate(PAGE_PROBE)
    await fill(bare, report)
    const editor: number[] = []
    const floor: number[] = []
    for (let block = -1; block < BLOCKS; block += 1) {
      // Alternate which page goes first, as the interleaved comparisons do; block -1 is the warm-up.
      const order = (block & 1) === 0 ? [rig.page, bare] : [bare, rig.page]
      for (const page of order) await typeBlock(rig, page, page === bare ? floor : editor, block >= 0)
    }
    const app = summarize(editor)
    const base = summarize(floor)
    return {
      inputP95Ms2MiB: { status: 'measured', value: app.p95, samples: { editor: app } },
      inputRatio2MiB: {
        status: 'measured',
        value: app.p95 / base.p95,
        samples: { editor: app, bareTextarea: base },
        note: 'p95 over p95, same keystrokes, blocks interleaved',
      },
    }
  } finally {
    await bare.close()
    await rig.page.bringToFront()
  }
}
