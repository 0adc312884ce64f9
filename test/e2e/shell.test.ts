import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src-main/common/logger'
import { AppCore } from '../../src-main/core/app-core'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { openWorkstation, type Workstation } from '../../src-main/workstation/open-workstation'
import { launchChromium } from '../support/chromium'
import { startE2eApp, type E2eApp } from '../support/e2e-app'
import { PROJECT_ROOT, startTestHarness } from '../support/harness'
import { invokeNames } from '../../src-preload/contract'

describe('app shell in Chromium (browser harness)', () => {
  let browser: Browser
  let harness: Awaited<ReturnType<typeof startTestHarness>>
  let page: Page
  let workstation: Workstation
  let dataDir: string
  const consoleErrors: string[] = []
  const vault = new MemoryVault()

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'qubs-e2e-'))
    // The real core on the demo sandbox, exactly as `npm run harness` and the app compose it.
    workstation = await openWorkstation({ dataDir, vault, logger: silentLogger, env: {} })
    const core = new AppCore({
      name: 'QUBS Reporter',
      version: '0.1.0',
      mode: workstation.mode,
      runtime: { node: process.versions.node },
      logger: silentLogger,
      services: workstation.services,
      vault,
      emit: (event, payload) => harness.emit(event, payload),
    })
    harness = await startTestHarness(core)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
  })

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    await workstation?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('starts the built renderer, reaches the core through window.qubs and shows demo mode', async () => {
    await page.goto(harness.url)
    await expect.poll(() => page.getByTestId('app-mode').textContent()).toBe('DEMO')
    expect(await page.getByText('v0.1.0').count()).toBe(1)
    const outDir = resolve(PROJECT_ROOT, 'test-results/e2e')
    mkdirSync(outDir, { recursive: true })
    await page.screenshot({ path: resolve(outDir, 'shell.png') })
    expect(consoleErrors).toEqual([])
  })

  it('carries capabilities and events between the page and the core over the bridge', async () => {
    const connectivity = async () =>
      page.evaluate(() =>
        (
          globalThis as unknown as {
            qubs: { getConnectivity(): Promise<{ ok: true; value: { state: string } }> }
          }
        ).qubs
          .getConnectivity()
          .then((answer) => answer.value),
      )
    // The screens may already have read from QUBS by now (the worklist refreshes at start).
    expect(['unknown', 'online']).toContain((await connectivity()).state)
    await page.evaluate(() => {
      const qubs = (
        globalThis as unknown as {
          qubs: { on(e: string, l: (p: { entryId: string; state: string }) => void): void }
        }
      ).qubs
      const seen: string[] = []
      ;(globalThis as Record<string, unknown>)['outboxStates'] = seen
      qubs.on('outboxChanged', (p) => seen.push(`${p.entryId}:${p.state}`))
    })
    // An outbox entry delivered through the real engine: its changes reach the page as events.
    const [first] = await workstation.services.client!.walkPending()
    const entry = await workstation.services.outbox.enqueueComment('demo', first!.appointmentId, {
      commentText: 'E2E bridge check.',
    })
    await workstation.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    await expect
      .poll(() => page.evaluate(() => (globalThis as Record<string, unknown>)['outboxStates']))
      .toContain(`${entry.id}:delivered`)
    expect(await connectivity()).toMatchObject({ state: 'online' })
  })

  it('keeps Node and Electron out of the page', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>)['require'],
      process: typeof (globalThis as Record<string, unknown>)['process'],
      qubsKeys: Object.keys((globalThis as unknown as { qubs: object }).qubs).sort(),
    }))
    expect(globals.require).toBe('undefined')
    expect(globals.process).toBe('undefined')
    expect(globals.qubsKeys).toEqual([...invokeNames, 'on'].sort())
  })

  it('carries attachment bytes into the page intact, as Uint8Array, over binary frames', async () => {
    const [appointment] = await workstation.services.client!.walkPending()
    const client = workstation.services.client!
    let target: { appointmentId: string; guid: string } | undefined
    for (const candidate of await client.walkPending()) {
      const found = (await client.listAttachments('demo', candidate.appointmentId)).find((a) => a.url)
      if (found) {
        target = { appointmentId: candidate.appointmentId, guid: found.guid }
        break
      }
    }
    expect(appointment).toBeDefined()
    expect(target).toBeDefined()
    const expected = await client.downloadAttachment('demo', target!.appointmentId, target!.guid)
    const received = await page.evaluate(async ({ appointmentId, guid }) => {
      type Chunk = { bytes: Uint8Array }
      const qubs = (
        globalThis as unknown as {
          qubs: {
            downloadAttachment(
              d: string,
              a: string,
              g: string,
            ): Promise<{
              value: {
                downloadId: string
                chunkCount: number
                sha256: string
                byteLength: number
                contentType: string
              }
            }>
            getAttachmentChunk(id: string, index: number): Promise<{ value: Chunk }>
          }
        }
      ).qubs
      const download = (await qubs.downloadAttachment('demo', appointmentId, guid)).value
      const parts: Uint8Array[] = []
      let allBytes = true
      for (let index = 0; index < download.chunkCount; index++) {
        const chunk = (await qubs.getAttachmentChunk(download.downloadId, index)).value
        allBytes &&= chunk.bytes instanceof Uint8Array
        parts.push(chunk.bytes)
      }
      const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
      let offset = 0
      for (const part of parts) {
        whole.set(part, offset)
        offset += part.byteLength
      }
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', whole))
      return {
        allBytes,
        byteLength: whole.byteLength,
        declared: download.sha256,
        computed: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
        contentType: download.contentType,
        head: String.fromCharCode(...whole.subarray(0, 5)),
      }
    }, target!)
    expect(received).toMatchObject({ allBytes: true, byteLength: expected.bytes.byteLength, head: '%PDF-' })
    expect(received.computed).toBe(received.declared)
    expect(received.computed).toBe(createHash('sha256').update(expected.bytes).digest('hex'))
    expect(received.contentType).toBe('application/pdf')
  })

  it('hands the page a 32-byte cache key that Web Crypto imports as a non-extractable AES-GCM key', async () => {
    const result = await page.evaluate(async () => {
      const qubs = (
        globalThis as unknown as {
          qubs: { getCacheKey(): Promise<{ value: { keyId: string; rawKey: Uint8Array } }> }
        }
      ).qubs
      const key = (await qubs.getCacheKey()).value
      const imported = await crypto.subtle.importKey('raw', key.rawKey.slice(), 'AES-GCM', false, ['encrypt'])
      return {
        isBytes: key.rawKey instanceof Uint8Array,
        length: key.rawKey.byteLength,
        extractable: imported.extractable,
      }
    })
    expect(result).toEqual({ isBytes: true, length: 32, extractable: false })
  })
})

describe('e2e support: a sandbox that stops and comes back, a persistent Chromium profile', () => {
  let e2e: E2eApp

  beforeAll(async () => {
    e2e = await startE2eApp({ sandbox: { appointments: 10, domains: ['acme'], seed: 12 } })
  })
  afterAll(() => e2e?.close())

  const getAppointment = (appointmentId: string) =>
    e2e.page.evaluate(async (id) => {
      const qubs = (
        globalThis as unknown as {
          qubs: {
            getAppointment(
              d: string,
              a: string,
            ): Promise<
              { ok: true; value: { appointmentId: string } } | { ok: false; error: { code: string } }
            >
          }
        }
      ).qubs
      // window.qubs answers with envelopes: the error's code crosses as data (as over Electron's
      // context bridge, which would drop a thrown error's code).
      const answer = await qubs.getAppointment('acme', id)
      return answer.ok ? { ok: true, id: answer.value.appointmentId } : { ok: false, code: answer.error.code }
    }, appointmentId)

  it('goes offline while the sandbox is stopped and back online on the same port', async () => {
    const [id] = e2e.app.sandbox.current.admin.pendingAppointmentIds('acme', 1)
    await e2e.page.goto(e2e.url)
    expect(await getAppointment(id!)).toEqual({ ok: true, id })
    await e2e.app.sandbox.stop()
    expect(await getAppointment(id!)).toEqual({ ok: false, code: 'network' })
    await e2e.app.sandbox.start()
    expect(await getAppointment(id!)).toEqual({ ok: true, id })
  })

  it('keeps IndexedDB in the profile directory across a browser restart, where a test can grep it', async () => {
    const canary = 'CANARY-e2e-support-3c9d'
    await e2e.page.goto(e2e.url)
    // Page-side scripts as text: this file is typed for Node, the scripts run in the page.
    await e2e.page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('e2e-support-check', 1)
      open.onupgradeneeded = () => open.result.createObjectStore('s')
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const tx = open.result.transaction('s', 'readwrite', { durability: 'strict' })
        tx.objectStore('s').put(${JSON.stringify(canary)}, 'k')
        tx.oncomplete = () => { open.result.close(); resolve(null) }
        tx.onerror = () => reject(tx.error)
      }
    })`)
    const page = await e2e.reopen()
    await page.goto(e2e.url)
    const readBack = await page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('e2e-support-check', 1)
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const get = open.result.transaction('s').objectStore('s').get('k')
        get.onsuccess = () => resolve(get.result)
      }
    })`)
    expect(readBack).toBe(canary)
    expect(grepDirectory(join(e2e.profileDir, 'Default', 'IndexedDB'), canary)).toBe(true)
  })
})

/** Whether any file under `dir` contains `text` (as UTF-8 or UTF-16LE, as Chromium may store it). */
function grepDirectory(dir: string, text: string): boolean {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')]
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const content = readFileSync(join(entry.parentPath, entry.name))
    if (needles.some((needle) => content.includes(needle))) return true
  }
  return false
}
