import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import { DrainProgress } from '../../../src-main/core/app/drain-progress'
import { DesktopNotices, type DueItem, type Notice } from '../../../src-main/core/app/notifications'
import { SettingsSchema, type Settings } from '../../../src-preload/contract'
import { desktopCoreEachTest } from './desktop-fixture'
import { value } from './support'

const NOW = Date.UTC(2026, 11, 1, 9, 0)
/** A worklist row with fake-patient canaries. */
function appointment(overrides: Partial<DueItem> = {}): DueItem {
  return {
    domain: 'demo',
    appointmentId: 'A1',
    patientName: 'Testpatient, Alice',
    studyDescription: 'CT Head',
    reportNeededBy: null,
    ...overrides,
  }
}

const inMinutes = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString()

function notices(
  overrides: Partial<Settings['privacy']> = {},
  notifications: Partial<Settings['notifications']> = {},
) {
  const shown: Notice[] = []
  const settings = SettingsSchema.parse({ privacy: overrides, notifications })
  const subject = new DesktopNotices({
    notify: (notice) => shown.push(notice),
    settings: () => settings,
    clock: new ManualClock(NOW),
    logger: silentLogger,
  })
  return { subject, shown }
}

describe('DesktopNotices', () => {
  it('tells of a report due within the window once per appointment, naming no patient by default', () => {
    const { subject, shown } = notices()
    const due = appointment({ appointmentId: 'A1', reportNeededBy: inMinutes(10) })
    const later = appointment({ appointmentId: 'A2', reportNeededBy: inMinutes(90) })
    subject.worklistRefreshed([due, later])
    subject.worklistRefreshed([due, later])
    expect(shown).toEqual([{ title: 'A report is due soon', body: 'A report is due in 10 min.' }])
    expect(JSON.stringify(shown)).not.toMatch(/Testpatient|CT Head|A1/)
  })

  it('names the patient and study only when the person allows it, and groups several in one notice', () => {
    const allowed = notices({ notificationsShowPatient: true })
    allowed.subject.worklistRefreshed([appointment({ reportNeededBy: inMinutes(5) })])
    expect(allowed.shown).toEqual([
      { title: 'A report is due soon', body: 'Testpatient, Alice, CT Head: due in 5 min.' },
    ])
    const many = notices()
    many.subject.worklistRefreshed([
      appointment({ appointmentId: 'A1', reportNeededBy: inMinutes(5) }),
      appointment({ appointmentId: 'A2', reportNeededBy: inMinutes(12) }),
    ])
    expect(many.shown).toEqual([{ title: 'Reports are due soon', body: '2 reports are due within 15 min.' }])
  })

  it('stays quiet when due-soon notices are off, or the deadline has passed', () => {
    const off = notices({}, { dueSoon: false })
    off.subject.worklistRefreshed([appointment({ reportNeededBy: inMinutes(5) })])
    const past = notices()
    past.subject.worklistRefreshed([appointment({ reportNeededBy: inMinutes(-5) })])
    expect([...off.shown, ...past.shown]).toEqual([])
  })
})

describe('DrainProgress', () => {
  it('counts N of M from the drain start, M growing with what is queued meanwhile', () => {
    const drain = new DrainProgress()
    const counts = { queued: 0, sending: 0, held: 0, delivered: 5, blocked: 0, unreadable: 0, inFlight: 0 }
    expect(drain.next({ ...counts, queued: 3, draining: true })).toMatchObject({ delivered: 0, total: 3 })
    expect(drain.next({ ...counts, delivered: 6, queued: 1, sending: 1, draining: true })).toMatchObject({
      delivered: 1,
      total: 3,
    })
    expect(drain.next({ ...counts, delivered: 7, queued: 2, sending: 1, draining: true })).toMatchObject({
      delivered: 2,
      total: 5,
    })
    expect(drain.next({ ...counts, delivered: 10, draining: false })).toMatchObject({
      delivered: 5,
      total: 5,
    })
    expect(drain.next({ ...counts, delivered: 10, queued: 1, draining: true })).toMatchObject({
      delivered: 0,
      total: 1,
    })
  })
})

describe('notifications and drain progress through the core', () => {
  const start = desktopCoreEachTest()

  it('notifies a held submission once, without PHI, and reports the drain as syncProgress', async () => {
    const shown: Notice[] = []
    const app = await start({}, { core: { notify: (notice) => shown.push(notice) } })
    const domain = app.services.client!.domains[0]!
    const [pending] = await app.services.client!.walkPending()
    await app.services.outbox.enqueueReport(domain, 'NO-SUCH-APPOINTMENT', {
      reportText: 'CANARY-REPORT-TEXT',
      reportStatus: 'final',
    })
    await app.services.outbox.enqueueReport(domain, pending!.appointmentId, {
      reportText: 'Fine.',
      reportStatus: 'final',
    })
    await app.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    expect(shown).toEqual([
      {
        title: 'A submission needs you',
        body: 'A final report was not delivered: the appointment is no longer waiting for a report. It waits in the outbox.',
      },
    ])
    expect(app.events.filter((e) => e.event === 'notificationShown')).toHaveLength(1)
    const progress = app.events.filter((e) => e.event === 'syncProgress').map((e) => e.payload)
    expect(progress.at(-1)).toMatchObject({ draining: false, held: 1 })
    expect(progress).toContainEqual(expect.objectContaining({ delivered: 1 }))
    await value(app, 'refreshWorklist')
    expect(JSON.stringify(shown)).not.toContain('CANARY')
  })
})
