import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiMethods, AppointmentView, AttachmentView } from '../../src-preload/contract'
import { launchChromium } from '../support/chromium'
import { startCoreOnSandbox, type CoreOnSandbox } from '../support/core-on-sandbox'
import { startE2eApp, type E2eApp } from '../support/e2e-app'
import { PROJECT_ROOT, startTestHarness } from '../support/harness'

/**
 * The attachment viewer in Chromium on the real core and sandbox: a referral PDF renders with pdf.js
 * (bundled worker, no network), is cached encrypted, and still renders after the sandbox is stopped and
 * the page reloaded. Chromium keeps IndexedDB in files under the profile: those files are searched for
 * the PDF's bytes and the attachment's PHI afterwards.
 */

const SHOTS = resolve(PROJECT_ROOT, 'test-results/e2e/attachments')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    const stat = lstatSync(path)
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : []
  })
}

/** Every file of the profile's IndexedDB that holds `needle`, byte for byte. */
function indexedDbFilesContaining(profile: string, needle: Uint8Array | string): string[] {
  const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle)
  return filesUnder(join(profile, 'Default', 'IndexedDB')).filter((path) =>
    readFileSync(path).includes(bytes),
  )
}

/** The bits of the DOM these page functions use (the node project has no DOM types). */
interface PageCanvas {
  readonly width: number
  readonly height: number
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null
}
interface PageIndexedDb {
  open(
    name: string,
    version: number,
  ): {
    result: {
      createObjectStore(name: string): void
      transaction(
        store: string,
        mode: 'readwrite',
        options: { durability: 'strict' },
      ): {
        objectStore(name: string): { put(value: unknown, key: string): void }
        oncomplete: () => void
        onerror: () => void
      }
    }
    onupgradeneeded: () => void
    onsuccess: () => void
  }
}

async function canvasInkPixels(page: Page): Promise<number> {
  return page.locator('.attachment-pdf canvas').evaluate((element) => {
    const canvas = element as unknown as PageCanvas
    const context = canvas.getContext('2d')
    if (!context || canvas.width === 0) return 0
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    let ink = 0
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 3]! > 0) ink++
    return ink
  })
}

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('.attachments-panel').analyze()
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
  expect(serious).toEqual([])
}

describe('cached attachment viewer in Chromium (browser harness)', () => {
  let e2e: E2eApp
  let page: Page
  let appointment: AppointmentView
  let pdf: AttachmentView
  let pdfBytes: Uint8Array

  beforeAll(async () => {
    e2e = await startE2eApp()
    const core = e2e.app.core
    // The first pending appointment with a referral PDF whose content is available.
    const refresh = await core.refreshWorklist()
    const items: AppointmentView[] = []
    for (let i = 0; i < refresh.chunkCount; i++)
      items.push(...(await core.getWorklistChunk(refresh.refreshId, i)).items)
    search: for (const candidate of items) {
      for (const view of await core.listAttachments(candidate.domain, candidate.appointmentId)) {
        const download = await core
          .downloadAttachment(candidate.domain, candidate.appointmentId, view.guid)
          .catch(() => null)
        if (download?.contentType !== 'application/pdf') continue
        const chunks = []
        for (let c = 0; c < download.chunkCount; c++)
          chunks.push((await core.getAttachmentChunk(download.downloadId, c)).bytes)
        appointment = candidate
        pdf = view
        pdfBytes = new Uint8Array(Buffer.concat(chunks))
        break search
      }
    }
    expect(pdf).toBeDefined()
    page = e2e.page
    // The viewer must never reach beyond the harness (no CDN worker, fonts or CMaps).
    const appHost = new URL(e2e.url).host
    await e2e.context.route(
      (url) => url.host !== appHost,
      (route) => {
        e2e.consoleErrors.push(`request outside the app: ${route.request().url()}`)
        return route.abort()
      },
    )
    mkdirSync(SHOTS, { recursive: true })
  })

  afterAll(async () => {
    await e2e?.close()
  })

  /** Worklist → appointment, as a radiologist does it: the attachment panel is part of the appointment view. */
  const openAppointment = async () => {
    // The filter narrows the (virtualized) worklist to this appointment; its row opens it.
    await page.getByRole('searchbox', { name: 'Filter worklist' }).fill(appointment.appointmentId)
    const grid = page.getByRole('grid', { name: 'Worklist' })
    await expect.poll(() => grid.getByRole('row').count(), { timeout: 20_000 }).toBe(2)
    await grid.getByRole('row').nth(1).getByRole('button').first().click()
    await page.getByRole('region', { name: 'Attachments' }).waitFor()
  }
  const fileButton = () =>
    page.getByRole('region', { name: 'Attachments' }).getByRole('button', { name: pdf.fileName! })

  it('ships a pdf.js without eval or the Function constructor (CVE-2024-4367 class)', () => {
    const assets = resolve(PROJECT_ROOT, 'out/renderer/assets')
    const bundles = readdirSync(assets).filter((name) => name.endsWith('.js'))
    expect(bundles.some((name) => name.startsWith('pdf.worker'))).toBe(true)
    for (const name of bundles.filter((n) => n.startsWith('pdf'))) {
      const source = readFileSync(join(assets, name), 'utf8')
      // With or without `new` (a minifier drops it), and eval not reached through a property.
      expect(source, name).not.toMatch(/(?<![.\w$])(?:new\s+)?Function\s*\(|(?<![.\w$])eval\s*\(/)
    }
  })

  it('opens a referral PDF: a canvas is drawn, with its page count, and zoom redraws it larger', async () => {
    await page.goto(e2e.url)
    await openAppointment()
    await fileButton().click()
    const indicator = page.getByTestId('pdf-page-indicator')
    await expect.poll(() => indicator.textContent(), { timeout: 20_000 }).toMatch(/^Page 1 of \d+$/)
    await expect.poll(() => canvasInkPixels(page), { timeout: 10_000 }).toBeGreaterThan(500)
    const pages = Number(/of (\d+)/.exec((await indicator.textContent())!)![1])
    expect(pages).toBeGreaterThanOrEqual(1)
    const next = page.getByRole('button', { name: 'Next page' })
    expect(await next.isDisabled()).toBe(pages === 1)
    await page.keyboard.press('PageDown')
    expect(await indicator.textContent()).toBe(`Page ${Math.min(2, pages)} of ${pages}`)
    await page.keyboard.press('PageUp')
    expect(await indicator.textContent()).toBe(`Page 1 of ${pages}`)

    const width = async () =>
      page.locator('.attachment-pdf canvas').evaluate((c) => (c as unknown as PageCanvas).width)
    const before = await width()
    const zoom = page.getByTestId('pdf-zoom-indicator')
    const fitted = await zoom.textContent()
    await page.keyboard.press('Control+=')
    await expect.poll(() => zoom.textContent()).not.toBe(fitted)
    await expect.poll(width).toBeGreaterThan(before)
    await page.getByRole('button', { name: 'Fit width' }).click()
    await expect.poll(() => zoom.textContent()).toBe(fitted)

    const cachedMarker = page.locator('tbody tr', { hasText: pdf.fileName! }).locator('.cache-marker')
    await expect.poll(() => cachedMarker.textContent()).toBe('cached')
    // Accessibility of the panel and the viewer, in the dark theme here and the light one below.
    await expectNoSeriousAxeViolations(page)

    // Both themes at both sizes, for a person to look at (test-results/e2e/attachments).
    for (const theme of ['dark', 'light'] as const) {
      if (theme === 'light') {
        // The theme is remembered: reload and reopen the file in it, as after a restart.
        await page.getByRole('button', { name: 'Light theme' }).click()
        await page.reload()
        await openAppointment()
        await fileButton().click()
      }
      await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' })
      for (const [width, height] of [
        [1366, 768],
        [1920, 1080],
      ] as const) {
        await page.setViewportSize({ width, height })
        await expect.poll(() => canvasInkPixels(page)).toBeGreaterThan(500)
        await page.locator('.attachment-viewer').scrollIntoViewIfNeeded()
        await page.screenshot({ path: join(SHOTS, `viewer-${theme}-${width}x${height}.png`) })
      }
    }
    await expectNoSeriousAxeViolations(page)
    await page.getByRole('button', { name: 'Dark theme' }).click()
  })

  it('offers the file for saving under its name', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save a copy' }).click(),
    ])
    expect(download.suggestedFilename()).toBe(pdf.fileName)
    const saved = readFileSync((await download.path())!)
    expect(Buffer.compare(saved, Buffer.from(pdfBytes))).toBe(0)
  })

  it('still renders the cached PDF with the sandbox stopped and the page reloaded', async () => {
    await e2e.app.sandbox.stop()
    await page.reload()
    await openAppointment()
    await page.getByText('Saved copy — QUBS not reachable').waitFor({ timeout: 20_000 })
    await fileButton().click()
    await expect
      .poll(() => page.getByTestId('pdf-page-indicator').textContent(), { timeout: 20_000 })
      .toMatch(/^Page 1 of \d+$/)
    await expect.poll(() => canvasInkPixels(page), { timeout: 10_000 }).toBeGreaterThan(500)
    expect(await page.getByRole('region', { name: 'Attachments' }).getByRole('alert').count()).toBe(0)
    await page.screenshot({ path: join(SHOTS, 'viewer-offline-1366x768.png') })
    expect(e2e.consoleErrors).toEqual([])
  })

  it('keeps neither the PDF bytes nor the attachment metadata in clear in IndexedDB on disk', async () => {
    // A control: plaintext that does reach IndexedDB is found by the same search.
    const control = `CONTROL-${crypto.randomUUID()}`
    await page.evaluate(
      (value) =>
        new Promise<void>((resolve, reject) => {
          const idb = (globalThis as unknown as { indexedDB: PageIndexedDb }).indexedDB
          const request = idb.open('canary-control', 1)
          request.onupgradeneeded = () => request.result.createObjectStore('s')
          request.onsuccess = () => {
            const tx = request.result.transaction('s', 'readwrite', { durability: 'strict' })
            tx.objectStore('s').put({ value, bytes: new TextEncoder().encode(value) }, 'k')
            tx.oncomplete = () => resolve()
            tx.onerror = () => reject(new Error('control write failed'))
          }
        }),
      control,
    )
    // Closing Chromium flushes IndexedDB to its files.
    await e2e.reopen()
    expect(indexedDbFilesContaining(e2e.profileDir, control).length).toBeGreaterThan(0)
    const middle = Math.floor(pdfBytes.byteLength / 2)
    for (const needle of [
      pdfBytes.subarray(0, 8), // %PDF-1.x
      pdfBytes.subarray(middle, middle + 32),
      pdfBytes.subarray(pdfBytes.byteLength - 32),
      pdf.fileName!,
      pdf.addedBy?.lastName ?? pdf.guid,
    ]) {
      expect(indexedDbFilesContaining(e2e.profileDir, needle)).toEqual([])
    }
  })
})

/**
 * Page navigation through the real pdf.js in Chromium needs a PDF with several pages, and the sandbox
 * renders one-page referrals. So this test puts one extra three-page worksheet in front of the real
 * core: the list of one appointment gains it and its bytes come from here; everything else (the
 * worklist, the appointment, the other attachments, the cache key) is the real core on the sandbox.
 */
const EXTRA_GUID = 'e2e-three-page-worksheet'
const EXTRA_NAME = 'three-page-worksheet.pdf'

async function threePagePdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create()
  const font = await document.embedFont(StandardFonts.Helvetica)
  for (const label of ['First', 'Second', 'Third']) {
    document
      .addPage([595, 842])
      .drawText(`${label} page of the sandbox worksheet`, { x: 50, y: 780, size: 24, font })
  }
  return document.save()
}

function withExtraAttachment(core: ApiMethods, appointmentId: string, bytes: Uint8Array): ApiMethods {
  const view: AttachmentView = {
    guid: EXTRA_GUID,
    category: 'Worksheet',
    fileName: EXTRA_NAME,
    addedDateTime: '2026-01-01T00:00:00Z',
    addedBy: null,
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
    lastModifiedBy: null,
    extra: {},
  }
  return {
    ...core,
    listAttachments: async (domain, id) => [
      ...(await core.listAttachments(domain, id)),
      ...(id === appointmentId ? [view] : []),
    ],
    downloadAttachment: async (domain, id, guid) =>
      guid === EXTRA_GUID
        ? {
            downloadId: EXTRA_GUID,
            byteLength: bytes.byteLength,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            contentType: 'application/pdf',
            chunkCount: 1,
          }
        : core.downloadAttachment(domain, id, guid),
    getAttachmentChunk: async (downloadId, index) =>
      downloadId === EXTRA_GUID
        ? { downloadId, index, bytes: new Uint8Array(bytes) }
        : core.getAttachmentChunk(downloadId, index),
  }
}

describe('PDF page navigation with pdf.js in Chromium', () => {
  let app: CoreOnSandbox
  let harness: Awaited<ReturnType<typeof startTestHarness>>
  let browser: Browser
  let page: Page
  let appointmentId: string
  const errors: string[] = []

  beforeAll(async () => {
    app = await startCoreOnSandbox({ onEvent: (event, payload) => harness?.emit(event, payload) })
    const refresh = await app.core.refreshWorklist()
    appointmentId = (await app.core.getWorklistChunk(refresh.refreshId, 0)).items[0]!.appointmentId
    // AppCore's capabilities are instance fields, so spreading it keeps every one of them.
    harness = await startTestHarness(withExtraAttachment(app.core, appointmentId, await threePagePdf()))
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
  })

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    await app?.close()
  })

  const indicator = () => page.getByTestId('pdf-page-indicator')
  const canvasSignature = () =>
    page.locator('.attachment-pdf canvas').evaluate((element) => {
      const canvas = element as unknown as {
        toDataURL(): string
      }
      return canvas.toDataURL().length
    })

  it('pages with the buttons and PageUp/PageDown and redraws each page', async () => {
    await page.goto(harness.url)
    await page.getByRole('searchbox', { name: 'Filter worklist' }).fill(appointmentId)
    const grid = page.getByRole('grid', { name: 'Worklist' })
    await expect.poll(() => grid.getByRole('row').count(), { timeout: 20_000 }).toBe(2)
    await grid.getByRole('row').nth(1).getByRole('button').first().click()
    await page.getByRole('region', { name: 'Attachments' }).getByRole('button', { name: EXTRA_NAME }).click()
    await expect.poll(() => indicator().textContent(), { timeout: 20_000 }).toBe('Page 1 of 3')
    const first = await canvasSignature()

    await page.getByRole('button', { name: 'Next page' }).click()
    await expect.poll(() => indicator().textContent()).toBe('Page 2 of 3')
    await expect.poll(canvasSignature).not.toBe(first)
    await page.keyboard.press('PageDown')
    await expect.poll(() => indicator().textContent()).toBe('Page 3 of 3')
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true)
    await page.keyboard.press('PageUp')
    await page.keyboard.press('PageUp')
    await expect.poll(() => indicator().textContent()).toBe('Page 1 of 3')
    await expect.poll(canvasSignature).toBe(first)
    expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true)
    expect(errors).toEqual([])
  })

  it('at an explicit zoom, rapid PageDowns end on the last page drawn, never on "unreadable"', async () => {
    // An explicit zoom skips the page-size lookup of "fit width", so a PageDown starts a render at
    // once; on a freshly opened file each page must first be loaded by the worker, so a second
    // PageDown lands while the first page is still loading: two renders on one canvas, which pdf.js
    // refuses ("Cannot use the same canvas during multiple render() operations") unless the viewer
    // waits for the first.
    const viewer = page.getByLabel(`PDF viewer: ${EXTRA_NAME}`)
    const zoom = page.getByTestId('pdf-zoom-indicator')
    const openFreshAtExplicitZoom = async () => {
      await page.getByRole('button', { name: 'Close' }).click()
      await page
        .getByRole('region', { name: 'Attachments' })
        .getByRole('button', { name: EXTRA_NAME })
        .click()
      await expect.poll(() => indicator().textContent()).toBe('Page 1 of 3')
      // Page 1 drawn at "fit width" first: zooming in before the fit is known starts from another
      // scale, and each round must draw page 3 at the same zoom as the reference below.
      await expect.poll(() => viewer.getAttribute('data-rendered-count')).not.toBe('0')
      const fitted = await zoom.textContent()
      await viewer.focus()
      await page.keyboard.press('Control+=')
      await expect.poll(() => zoom.textContent()).not.toBe(fitted)
      return zoom.textContent()
    }
    const explicitZoom = await openFreshAtExplicitZoom()
    const drawnBefore = Number(await viewer.getAttribute('data-rendered-count'))
    await page.keyboard.press('End')
    await expect.poll(() => indicator().textContent()).toBe('Page 3 of 3')
    // Drawn at its own pace: what page 3 looks like at this zoom, once its own render has finished
    // (the count already counts page 1's).
    await expect
      .poll(async () => Number(await viewer.getAttribute('data-rendered-count')))
      .toBeGreaterThan(drawnBefore)
    const lastPage = await canvasSignature()

    // Two presses a moment apart, as a key held down delivers them (Playwright's own presses wait
    // for each other, slower than a person).
    const pageDownTwice = () =>
      viewer.evaluate(async (element) => {
        type KeyEvents = { KeyboardEvent: new (type: string, init: object) => unknown }
        const { KeyboardEvent } = globalThis as unknown as KeyEvents
        const target = element as unknown as { dispatchEvent(event: unknown): boolean }
        const press = () =>
          target.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }))
        press()
        await new Promise((resolve) => setTimeout(resolve, 0))
        press()
      })
    for (let round = 0; round < 3; round++) {
      expect(await openFreshAtExplicitZoom()).toBe(explicitZoom)
      await pageDownTwice()
      await expect.poll(() => indicator().textContent()).toBe('Page 3 of 3')
      await expect.poll(canvasSignature, { timeout: 10_000 }).toBe(lastPage)
      expect(await page.getByRole('alert').count()).toBe(0)
    }
    expect(errors).toEqual([])
  })
})
