import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startE2eApp, type E2eApp } from '../support/e2e-app'
import { expectAccessible, screenshot, waitForWorklist } from './screens-app'

const CLINICIAN = { name: 'Dr Rae Diologist', providerNumber: '1234567A', email: 'rae@example.test' }

/** The textarea as the page sees it (this file compiles without the DOM library). */
interface TextField {
  readonly value: string
  readonly selectionStart: number
  readonly selectionEnd: number
  readonly readOnly: boolean
  setSelectionRange(start: number, end: number): void
}

interface Opened {
  readonly name: string
  readonly domain: string
  readonly appointmentId: string
}

const field = (page: Page) => page.getByRole('textbox', { name: 'Report text' })
const fieldState = (page: Page) =>
  field(page).evaluate((el) => {
    const f = el as unknown as TextField
    return { value: f.value, start: f.selectionStart, end: f.selectionEnd, readOnly: f.readOnly }
  })
const bannerValue = (page: Page, label: string) =>
  page
    .getByRole('region', { name: 'Patient' })
    .locator('.banner-field', { hasText: label })
    .locator('dd')
    .innerText()

/** Opens the worklist's `row`-th appointment with the keyboard (Enter), as a radiologist does. */
async function openRow(page: Page, row: number): Promise<Opened> {
  await page.getByRole('button', { name: 'Worklist', exact: true }).click()
  await page.getByLabel('Filter worklist', { exact: true }).fill('')
  const grid = await waitForWorklist(page)
  await grid.focus()
  for (let i = 0; i < row; i += 1) await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await field(page).waitFor()
  return {
    name: await page.getByRole('region', { name: 'Patient' }).getByRole('heading').innerText(),
    domain: await bannerValue(page, 'Domain'),
    appointmentId: await bannerValue(page, 'Appointment'),
  }
}

/** Opens the same appointment again (after a reload or in a new page), found by its id with the filter. */
async function reopen(page: Page, opened: Opened) {
  await waitForWorklist(page)
  const filter = page.getByLabel('Filter worklist', { exact: true })
  await filter.fill(opened.appointmentId)
  const grid = page.getByRole('grid', { name: 'Worklist' })
  await expect.poll(() => grid.getByRole('row').count()).toBe(2)
  await grid.getByRole('button', { name: opened.name, exact: true }).click()
  await expect.poll(() => bannerValue(page, 'Appointment')).toBe(opened.appointmentId)
  await field(page).waitFor()
}

/** Replaces whatever the report starts with (a template) by `text`, typed. */
async function typeReport(page: Page, text: string) {
  await page.keyboard.press('e')
  await page.keyboard.press('Control+A')
  await page.keyboard.type(text)
}

/** The autosave ran after the last change: its pause (300 ms) passed and the toolbar says saved. */
async function draftSaved(page: Page) {
  await page.waitForTimeout(700)
  await expect
    .poll(() => page.locator('.draft-saved').innerText(), { timeout: 5_000 })
    .toMatch(/^Draft saved/)
}

describe('report editor in Chromium', () => {
  let e2e: E2eApp

  beforeAll(async () => {
    e2e = await startE2eApp({ sandbox: { appointments: 12, seed: 5 } })
    await e2e.app.settings.update({ clinician: CLINICIAN })
    await e2e.page.goto(e2e.url)
  })
  afterAll(async () => e2e?.close())

  it('expands a macro with the real insertText and Ctrl+Z takes it back; fields by Tab; axe; screenshots', async () => {
    const page = e2e.page
    await openRow(page, 1)
    await typeReport(page, 'Findings: .nad')
    await page.keyboard.press('Space')
    await expect.poll(() => field(page).inputValue()).toBe('Findings: No acute abnormality.')
    await page.keyboard.press('Control+Z')
    await expect.poll(() => field(page).inputValue()).toBe('Findings: .nad')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Size [size] at [site].')
    await page.keyboard.press('Home')
    await page.keyboard.press('Tab')
    const selection = () => fieldState(page).then((f) => f.value.slice(f.start, f.end))
    expect(await selection()).toBe('[size]')
    await page.keyboard.type('12 mm')
    await page.keyboard.press('Tab')
    expect(await selection()).toBe('[site]')
    await expect.poll(() => field(page).inputValue()).toBe('Size 12 mm at [site].')
    await draftSaved(page)
    await expectAccessible(page, 'editor')
    for (const size of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size)
      await field(page).scrollIntoViewIfNeeded()
      await screenshot(page, `editor-dark-${size.width}`)
      await page.getByRole('button', { name: 'Light theme' }).click()
      await expectAccessible(page, 'editor (light)')
      await field(page).scrollIntoViewIfNeeded()
      await screenshot(page, `editor-light-${size.width}`)
      await page.getByRole('button', { name: 'Dark theme' }).click()
    }
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.getByRole('button', { name: 'Submit final' }).click()
    await page.getByRole('dialog').waitFor()
    await expectAccessible(page, 'submit dialog')
    await screenshot(page, 'editor-submit-dialog')
    await page.getByRole('button', { name: 'Back to the report' }).click()
  })

  it('finds a draft intact, caret too, after a reload mid-draft', async () => {
    const page = e2e.page
    const opened = await openRow(page, 2)
    await typeReport(page, 'Reload test: the first line.\nThe second line.')
    await field(page).evaluate((el) => (el as unknown as TextField).setSelectionRange(5, 11))
    await page.keyboard.press('Shift+ArrowRight')
    await draftSaved(page)
    await page.reload()
    await reopen(page, opened)
    expect(await field(page).inputValue()).toBe('Reload test: the first line.\nThe second line.')
    const caret = await fieldState(page).then((f) => [f.start, f.end])
    expect(caret).toEqual([5, 12])
    expect(e2e.consoleErrors).toEqual([])
  })

  it('finds a draft intact in a new page after the renderer crashed mid-draft', async () => {
    const page = e2e.page
    await page.goto(e2e.url)
    const opened = await openRow(page, 3)
    await typeReport(page, 'Crash test: dictated before the renderer died.')
    await draftSaved(page)
    const cdp = await e2e.context.newCDPSession(page)
    // The command never answers: the target is gone. The page's crash event says it happened.
    const crashed = page.waitForEvent('crash')
    void cdp.send('Page.crash').catch(() => undefined)
    await crashed
    const fresh = await e2e.context.newPage()
    await fresh.goto(e2e.url)
    await reopen(fresh, opened)
    expect(await field(fresh).inputValue()).toBe('Crash test: dictated before the renderer died.')
    await fresh.close()
  })

  it('types and pastes a 2 MB report and submits it; QUBS stores exactly that text', async () => {
    const page = await e2e.context.newPage()
    await e2e.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(e2e.url).origin,
    })
    await page.goto(e2e.url)
    const opened = await openRow(page, 4)
    const line = 'Line of a long dictated report, no acute abnormality seen here.\n'
    const typed = 'Dictated: '
    const pasted = line.repeat(Math.floor((2_097_152 - typed.length - 200) / line.length))
    await typeReport(page, typed)
    await page.evaluate(
      (text) =>
        (
          globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }
        ).navigator.clipboard.writeText(text),
      pasted,
    )
    await page.keyboard.press('Control+V')
    // A 2 MB paste on a 2-core machine shared with others: give it time, it is not a speed test.
    await expect
      .poll(() => fieldState(page).then((f) => f.value.length), { timeout: 20_000 })
      .toBe(typed.length + pasted.length)
    await expect
      .poll(() => page.locator('.byte-count').innerText(), { timeout: 10_000 })
      .toMatch(/\/ 2,097,152 bytes$/)
    await page.getByRole('button', { name: 'Submit final' }).click()
    await page.getByRole('button', { name: 'Send final report' }).click()
    const submitted = page.getByRole('list', { name: 'Submitted reports' }).getByRole('listitem')
    await expect.poll(() => submitted.count(), { timeout: 20_000 }).toBe(1)
    await e2e.syncNow()
    await expect.poll(() => submitted.getAttribute('data-state'), { timeout: 30_000 }).toBe('delivered')
    expect(e2e.app.sandbox.current.admin.reportText(opened.domain, opened.appointmentId)).toBe(typed + pasted)
    await expect.poll(() => fieldState(page).then((f) => f.readOnly)).toBe(true)
    expect(await page.getByText(/Delivered — read-only/).count()).toBe(1)
    await page.close()
  })

  it('submits a preliminary then a final; both are delivered, in that order', async () => {
    const page = await e2e.context.newPage()
    await page.goto(e2e.url)
    const opened = await openRow(page, 5)
    await typeReport(page, 'Preliminary: no acute abnormality.')
    await page.getByRole('button', { name: 'Submit preliminary' }).click()
    await page.getByRole('button', { name: 'Send preliminary report' }).click()
    const submitted = page.getByRole('list', { name: 'Submitted reports' }).getByRole('listitem')
    await expect.poll(() => submitted.count()).toBe(1)
    await typeReport(page, 'Final: no acute abnormality. Signed.')
    await page.getByRole('button', { name: 'Submit final' }).click()
    await page.getByRole('button', { name: 'Send final report' }).click()
    await expect.poll(() => submitted.count()).toBe(2)
    await e2e.syncNow()
    await expect
      .poll(
        async () =>
          (await submitted.evaluateAll((items) => items.map((li) => li.getAttribute('data-state')))).join(),
        {
          timeout: 30_000,
        },
      )
      .toBe('delivered,delivered')
    const effects = e2e.app.sandbox.current.admin
      .effects()
      .filter((e) => e.kind === 'report' && e.appointmentId === opened.appointmentId)
    expect(effects.map((e) => e.reportStatus)).toEqual(['preliminary', 'final'])
    expect(effects[0]!.seq).toBeLessThan(effects[1]!.seq)
    expect(e2e.app.sandbox.current.admin.reportText(opened.domain, opened.appointmentId)).toBe(
      'Final: no acute abnormality. Signed.',
    )
    await page.close()
  })
})
