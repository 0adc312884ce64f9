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
import type { PageGlobals } from './page-dom'
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

/** How long a paste of `text` took to reach the field (set-up, recorded beside the figures, not a target). */
async function paste(page: Page, text: string): Promise<number> {
  const field = page.locator(REPORT_FIELD)
  await field.focus()
  // A paste from the dictation box, as the person makes it: the text on the clipboard, then a trusted
  // Ctrl+V (one `input` event, undoable). Not `execCommand('insertText')`: Chromium runs that as one
  // typing command per line, which took 37 s for 256 KiB here; nor Playwright's fill(), which outran
  // its 30 s bound at 2 MiB.
  await page.evaluate(
    (value) =>
      (
        globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }
      ).navigator.clipboard.writeText(value),
    text,
  )
  const start = performance.now()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Control+V')
  await page.waitForFunction(
    ([selector, expected]) =>
      (globalThis as unknown as PageGlobals).document.querySelector(selector)?.value.length === expected,
    [REPORT_FIELD, text.length] as const,
    { timeout: 120_000, polling: 100 },
  )
  return performance.now() - start
}

/**
 * The floor's textarea gets the editor field's box and font, so both lay out and paint the same lines,
 * and the pointer rests over the field in both: Chromium re-hit-tests the element under a resting
 * pointer after each layout, and a radiologist's pointer is somewhere over the window too.
 */
async function fieldBox(page: Page): Promise<FieldBox> {
  return page.locator(REPORT_FIELD).evaluate((element) => {
    const el = element as unknown as {
      getBoundingClientRect(): { x: number; y: number; width: number; height: number }
    }
    const style = (
      globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
    ).getComputedStyle(element)
    const { x, y, width, height } = el.getBoundingClientRect()
    return {
      x,
      y,
      width,
      height,
      css: ['font-family', 'font-size', 'line-height', 'padding', 'border', 'box-sizing', 'white-space']
        .map((name) => `${name}: ${style[name.replace(/-(.)/g, (_m, c: string) => c.toUpperCase())]}`)
        .join('; '),
    }
  })
}

interface FieldBox {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly css: string
}

const restPointer = (page: Page, box: FieldBox) =>
  page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)

async function typeBlock(
  rig: RendererRig,
  page: Page,
  box: FieldBox,
  into: number[],
  counted: boolean,
): Promise<void> {
  const cdp = await rig.context.newCDPSession(page)
  await page.bringToFront()
  await page.locator(REPORT_FIELD).focus()
  await restPointer(page, box)
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
  await rig.context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const editorPaste = await paste(rig.page, report)
  const box = await fieldBox(rig.page)
  const bare = await rig.context.newPage()
  try {
    // Served from the harness's origin (a secure context, so the clipboard works), never the app.
    const bareUrl = new URL('/__bench-bare-textarea.html', rig.url).href
    await bare.route(bareUrl, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          '<!doctype html><body style="margin:0">' +
          `<textarea aria-label="Report text" spellcheck="true" style="position:absolute; left:${box.x}px; ` +
          `top:${box.y}px; width:${box.width}px; height:${box.height}px; ${box.css}"></textarea>`,
      }),
    )
    await bare.goto(bareUrl)
    await bare.evaluate(PAGE_PROBE)
    const barePaste = await paste(bare, report)
    const editor: number[] = []
    const floor: number[] = []
    for (let block = -1; block < BLOCKS; block += 1) {
      // Alternate which page goes first, as the interleaved comparisons do; block -1 is the warm-up.
      const order = (block & 1) === 0 ? [rig.page, bare] : [bare, rig.page]
      for (const page of order) await typeBlock(rig, page, box, page === bare ? floor : editor, block >= 0)
    }
    const app = summarize(editor)
    const base = summarize(floor)
    return {
      inputP95Ms2MiB: { status: 'measured', value: app.p95, samples: { editor: app } },
      inputRatio2MiB: {
        status: 'measured',
        value: app.p95 / base.p95,
        samples: { editor: app, bareTextarea: base },
        note:
          'p95 over p95, same keystrokes, blocks interleaved; the 2 MiB paste took ' +
          `${Math.round(editorPaste)} ms in the editor and ${Math.round(barePaste)} ms in the bare textarea`,
      },
    }
  } finally {
    await bare.close()
    await rig.page.bringToFront()
  }
}
