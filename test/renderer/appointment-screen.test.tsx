import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { QubsIpcError, type NewComment, type OutboxEntryView } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { installFakeBridge } from './fake-bridge'
import { appointment, outboxEntry, worklistMethods } from './fixtures'
import { resetStores, useFreshStores } from './stores'

const VIEW = appointment({
  appointmentId: 'A7',
  lastName: 'Testpatient',
  firstName: 'Alice',
  patientId: 'P77',
  clinicalInfo: 'Fall from ladder; query fracture.',
  radiologistUser: {
    username: 'rad1',
    firstName: 'Rae',
    lastName: 'Diologist',
    initials: 'RD',
    role: null,
    extra: {},
  },
  serviceItems: [{ code: '57506', description: 'CT Brain' }],
  extra: { triageColour: 'green' },
})
const ALERT = {
  guid: 'c1',
  commentType: 'PA' as const,
  appointmentId: 'A7',
  patientId: 'P77',
  commentText: 'Allergic to contrast',
  commentDateTime: '2026-11-30T10:00:00Z',
  isAlert: true,
  commentBy: null,
  lastModifiedDateTime: null,
  extra: {},
}

async function openAppointment(db: ReporterDatabase) {
  render(<AppShell db={db} />)
  await waitFor(() => expect(useShellStore.getState().session).not.toBeNull())
  useShellStore.getState().navigate({ screen: 'appointment', domain: 'demo', appointmentId: 'A7' })
  return screen.findByRole('region', { name: 'Patient' })
}

describe('appointment screen', () => {
  useFreshStores()

  it('shows an unmissable banner, every field including service items, radiologist and unknown ones, and alerts first', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    installFakeBridge({
      ...worklistMethods(() => [VIEW]),
      getAppointment: async () => VIEW,
      listComments: async () => [
        { ...ALERT, guid: 'c2', isAlert: false, commentType: 'AC', commentText: 'Prior at North.' },
        ALERT,
      ],
      listAttachments: async () => [],
    })
    const banner = await openAppointment(db)
    expect(within(banner).getByRole('heading').textContent).toBe('TESTPATIENT, Alice')
    for (const text of ['1980-05-17 (46y)', 'F', 'P77', 'A7', 'demo'])
      expect(within(banner).getByText(text)).toBeTruthy()
    expect(screen.getByText('Fall from ladder; query fracture.')).toBeTruthy()
    expect(screen.getByText('Rae Diologist')).toBeTruthy()
    expect(screen.getByText('code: 57506 · description: CT Brain')).toBeTruthy()
    expect(screen.getByText('triageColour')).toBeTruthy()
    const alerts = await screen.findByRole('list', { name: 'Alerts' })
    expect(within(alerts).getByText('Allergic to contrast')).toBeTruthy()
    expect(within(screen.getByRole('list', { name: 'Comments' })).getByText('Prior at North.')).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Report' })).toBeTruthy()
  })

  it('opens from the encrypted cache when main cannot reach QUBS, and says so', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    installFakeBridge({
      ...worklistMethods(() => [VIEW]),
      getAppointment: async () => VIEW,
      listComments: async () => [ALERT],
      listAttachments: async () => [],
    })
    const { unmount } = render(<AppShell db={db} />)
    await waitFor(() => expect(useShellStore.getState().session).not.toBeNull())
    useShellStore.getState().navigate({ screen: 'appointment', domain: 'demo', appointmentId: 'A7' })
    await screen.findByText('Allergic to contrast')
    unmount()
    resetStores()

    const offline = () =>
      Promise.reject(new QubsIpcError({ code: 'network', message: 'QUBS could not be reached.' }))
    installFakeBridge({
      ...worklistMethods(() => []),
      getAppointment: offline,
      listComments: offline,
      listAttachments: offline,
    })
    const banner = await openAppointment(db)
    expect(within(banner).getByRole('heading').textContent).toBe('TESTPATIENT, Alice')
    expect(await screen.findByText('Allergic to contrast')).toBeTruthy()
    expect((await screen.findAllByRole('alert')).map((a) => a.textContent).join()).toMatch(
      /copy saved on this workstation: QUBS could not be reached/,
    )
  })

  /** The worklist refreshed (so it has the row), then opening A7 fails in main with `failure`. */
  async function openFromWorklistRowWhile(failure: () => Promise<never>) {
    installFakeBridge({
      ...worklistMethods(() => [VIEW]),
      getAppointment: failure,
      listComments: failure,
      listAttachments: failure,
    })
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await waitFor(() => expect(useWorklistStore.getState().entries).toHaveLength(1))
    useShellStore.getState().navigate({ screen: 'appointment', domain: 'demo', appointmentId: 'A7' })
  }

  it('opens offline from the worklist row when never opened before: banner first, copy notice, attachments', async () => {
    await openFromWorklistRowWhile(() =>
      Promise.reject(new QubsIpcError({ code: 'network', message: 'QUBS could not be reached.' })),
    )
    const banner = await screen.findByRole('region', { name: 'Patient' })
    expect(within(banner).getByRole('heading').textContent).toBe('TESTPATIENT, Alice')
    const article = screen.getByRole('article', { name: 'Appointment' })
    const alert = await within(article).findByText(
      /copy saved on this workstation: QUBS could not be reached/,
    )
    // The banner comes before anything else about the appointment, the notice included.
    expect(banner.compareDocumentPosition(alert) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Attachments' })).toBeTruthy()
    expect(screen.queryByText(/Could not load this appointment/)).toBeNull()
  })

  it('says QUBS no longer lists it when main answers not-found, even from another bundle (no shared class)', async () => {
    // The harness bridge is its own bundle: the page gets an error that is not an instance of the
    // renderer's QubsIpcError; its code is what matters.
    await openFromWorklistRowWhile(() =>
      Promise.reject(
        Object.assign(new Error('Appointment A7 is not found or no longer pending reporting; requestId r1'), {
          name: 'QubsIpcError',
          code: 'not-found',
        }),
      ),
    )
    expect(
      await screen.findByText('QUBS no longer lists this appointment as pending reporting.'),
    ).toBeTruthy()
  })

  it('shows End in site time and a null field as a dash', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const view = { ...VIEW, endTime: '09:15:00', extra: { report: null } }
    installFakeBridge({
      ...worklistMethods(() => [view]),
      getAppointment: async () => view,
      listComments: async () => [],
      listAttachments: async () => [],
    })
    await openAppointment(db)
    const details = screen.getByRole('region', { name: 'Appointment' })
    const valueOf = (label: string) => within(details).getByText(label).nextElementSibling?.textContent
    await waitFor(() => expect(valueOf('End')).toMatch(/^2026-12-01 09:15 AEDT$/))
    expect(valueOf('report')).toBe('—')
  })

  it('after a refresh in which every domain answered, drops the cached view and comments of appointments the worklist no longer keeps', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    let listed = [VIEW, appointment({ appointmentId: 'A8' })]
    installFakeBridge({
      ...worklistMethods(() => listed),
      getAppointment: async (_d, id) => listed.find((v) => v.appointmentId === id)!,
      listComments: async () => [ALERT],
      listAttachments: async () => [],
    })
    render(<AppShell db={db} refreshIntervalMs={200} />)
    await waitFor(() => expect(useShellStore.getState().session).not.toBeNull())
    useShellStore.getState().navigate({ screen: 'appointment', domain: 'demo', appointmentId: 'A7' })
    await screen.findByText('Allergic to contrast')
    await waitFor(async () => expect(await db.comments.count()).toBe(2))
    expect(await db.appointments.count()).toBe(1)
    listed = [appointment({ appointmentId: 'A8' })]
    await waitFor(async () => expect(await db.appointments.count()).toBe(0), { timeout: 3000 })
    await waitFor(async () => expect((await db.comments.toArray()).map((r) => r.key)).toEqual(['demo/A8']))
  })

  it('queues a comment through the outbox, shows its state live until delivered, then shows it from QUBS and the worklist badge counts it', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    let outbox: OutboxEntryView[] = []
    const sent: NewComment[] = []
    let inQubs: (typeof ALERT)[] = []
    const fake = installFakeBridge({
      ...worklistMethods(() => [VIEW]),
      getAppointment: async () => VIEW,
      listComments: async () => inQubs,
      listAttachments: async () => [],
      listOutbox: async () => outbox,
      enqueueComment: async (_domain, appointmentId, comment) => {
        sent.push(comment)
        outbox = [outboxEntry({ id: 'e9', appointmentId, state: 'queued' })]
        return outbox[0]!
      },
    })
    const user = userEvent.setup()
    await openAppointment(db)
    await user.type(screen.getByLabelText('New comment'), 'Please send priors.')
    await user.click(screen.getByRole('checkbox', { name: 'Alert' }))
    await user.click(screen.getByRole('button', { name: 'Add alert' }))
    expect(sent).toEqual([{ commentText: 'Please send priors.', isAlert: true, commentType: 'AA' }])
    const submitted = await screen.findByRole('list', { name: 'Submitted comments' })
    await waitFor(() => expect(within(submitted).getByRole('listitem').dataset['state']).toBe('queued'))
    inQubs = [{ ...ALERT, commentText: 'Please send priors.' }]
    outbox = [
      outboxEntry({ id: 'e9', appointmentId: 'A7', state: 'delivered', deliveredAt: 1_764_000_100_000 }),
    ]
    fake.emit('outboxChanged', { entryId: 'e9', state: 'delivered' })
    await waitFor(() => expect(within(submitted).getByRole('listitem').dataset['state']).toBe('delivered'))
    expect(within(submitted).getByRole('listitem').textContent).toMatch(/delivered/)
    // Delivered: QUBS has it, so the list shows it from there and the worklist's badge counts it.
    const alerts = await screen.findByRole('list', { name: 'Alerts' })
    expect(within(alerts).getByText('Please send priors.')).toBeTruthy()
    await waitFor(() =>
      expect(useWorklistStore.getState().commentCounts.get('demo/A7')).toEqual({ comments: 0, alerts: 1 }),
    )
  })
})
