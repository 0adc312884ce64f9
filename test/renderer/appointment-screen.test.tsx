import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { QubsIpcError, type NewComment, type OutboxEntryView } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
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

  it('queues a comment through the outbox and shows its state live until delivered', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    let outbox: OutboxEntryView[] = []
    const sent: NewComment[] = []
    const fake = installFakeBridge({
      ...worklistMethods(() => [VIEW]),
      getAppointment: async () => VIEW,
      listComments: async () => [],
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
    outbox = [
      outboxEntry({ id: 'e9', appointmentId: 'A7', state: 'delivered', deliveredAt: 1_764_000_100_000 }),
    ]
    fake.emit('outboxChanged', { entryId: 'e9', state: 'delivered' })
    await waitFor(() => expect(within(submitted).getByRole('listitem').dataset['state']).toBe('delivered'))
    expect(within(submitted).getByRole('listitem').textContent).toMatch(/delivered/)
  })
})
