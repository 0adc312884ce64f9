import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startScreensApp, waitForWorklist, type ScreensApp } from './screens-app'

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** Which of `needles` occur in any file, as UTF-8/Latin-1 or as UTF-16 (V8 serializes strings either way). */
function foundIn(files: readonly string[], needles: readonly string[]): string[] {
  const contents = files.map((f) => readFileSync(f))
  return needles.filter((needle) =>
    contents.some(
      (bytes) =>
        bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le')),
    ),
  )
}

describe('PHI in IndexedDB on disk', () => {
  let s: ScreensApp

  beforeAll(async () => {
    s = await startScreensApp({ appointments: 30 })
  })
  afterAll(async () => s?.close())

  it('holds no patient name, DOB, clinical info or comment text in clear after every screen was used', async () => {
    const CANARY = 'CANARY-COMMENT-7Q4Z please compare with priors'
    const grid = await waitForWorklist(s.page)
    const pending = await s.app.services.client!.walkPending()
    // Open the first appointment, add a comment, and open it again once delivered so its comments
    // (with the canary) are cached too.
    await grid.focus()
    await s.page.keyboard.press('Enter')
    const banner = s.page.getByRole('region', { name: 'Patient' })
    await expect.poll(() => banner.count()).toBe(1)
    const appointmentId = (await banner.getByText(/^A\d+$/).innerText()).trim()
    await s.page.getByLabel('New comment').fill(CANARY)
    await s.page.getByRole('button', { name: 'Add comment' }).click()
    await s.app.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    await s.page.keyboard.press('Escape')
    await s.page.keyboard.press('o')
    await s.page
      .getByRole('button', { name: `demo / ${appointmentId}` })
      .first()
      .click()
    await expect.poll(() => s.page.getByText(CANARY).count(), { timeout: 20_000 }).toBeGreaterThan(0)
    // Prefetch has cached attachments (sealed) by now; give Dexie a moment to commit.
    await s.page.waitForTimeout(1500)
    await s.closeBrowser()

    const files = filesUnder(join(s.profileDir, 'Default', 'IndexedDB'))
    expect(files.length).toBeGreaterThan(0)
    // Positive control: the clear index fields are found, so the grep sees what Chromium wrote.
    expect(foundIn(files, [appointmentId])).toEqual([appointmentId])

    const appointmentDates = new Set(pending.map((a) => a.appointmentDate))
    const phi = [
      CANARY,
      ...pending.flatMap((a) => [a.patientName, a.clinicalInfo, a.lastName]),
      ...pending.map((a) => a.dateOfBirth).filter((dob) => dob && !appointmentDates.has(dob)),
    ].filter((v): v is string => typeof v === 'string' && v.length >= 6)
    expect(phi.length).toBeGreaterThan(30)
    expect(foundIn(files, phi)).toEqual([])
  })
})
