import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { createElement } from 'react'
import { describe, expect, it } from 'vitest'
import type { NewReport, NewReportAttachment, OutboxEntryView } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { purgeAppointmentCacheNotIn } from '../../src-renderer/src/features/appointment'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
import { useSettingsStore, DEFAULT_SETTINGS } from '../../src-renderer/src/stores/settings-store'
import { EDITOR_VIEW, openEditor, storedDraft, typeAtCaret } from './editor-fixtures'
import { installFakeBridge } from './fake-bridge'
import { outboxEntry, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

const CLINICIAN = { name: 'Dr Rae Diologist', providerNumber: '1234567A', email: 'rae@example.test' }

function withClinician() {
  useSettingsStore.setState({ settings: { ...DEFAULT_SETTINGS, clinician: CLINICIAN } })
}

/** A fake outbox in main: enqueueReport queues, `deliver` marks an entry delivered and tells the page. */
function fakeOutbox() {
  const entries: OutboxEntryView[] = []
  const reports: NewReport[] = []
  const files: NewReportAttachment[] = []
  const order: string[] = []
  return {
    entries,
    reports,
    files,
    order,
    methods: {
      listOutbox: async () => [...entries],
      enqueueReport: async (_d: string, _id: string, report: NewReport) => {
        reports.push(report)
        order.push(`report:${report.reportStatus}`)
        const entry = outboxEntry({
          id: `r${reports.length}`,
          kind: 'report',
          appointmentId: 'A9',
          reportStatus: report.reportStatus,
        })
        entries.unshift(entry)
        return entry
      },
      enqueueReportAttachment: async (_d: string, _id: string, file: NewReportAttachment) => {
        files.push(file)
        order.push(`file:${file.fileName}`)
        const entry = outboxEntry({ id: `f${files.length}`, kind: 'report-attachment', appointmentId: 'A9' })
        entries.unshift(entry)
        return entry
      },
    },
    deliver(id: string) {
      const index = entries.findIndex((e) => e.id === id)
      entries[index] = { ...entries[index]!, state: 'delivered', deliveredAt: Date.now() }
    },
  }
}

/** The editor on a fake outbox, with the clinician set (the shell's settings load resets it once). */
async function openSigned(db?: ReporterDatabase) {
  const outbox = fakeOutbox()
  withClinician()
  const opened = await openEditor({ ...(db ? { db } : {}), methods: outbox.methods })
  withClinician()
  return { outbox, ...opened }
}

describe('submitting a report', () => {
  useFreshStores()

  it('asks first with the patient banner, stamps the clinician and the time, queues it and shows its state live until delivered; then read-only', async () => {
    withClinician()
    const outbox = fakeOutbox()
    const { field, fake } = await openEditor({ methods: outbox.methods })
    withClinician()
    typeAtCaret(field, 'No acute intracranial abnormality.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    const dialog = await screen.findByRole('dialog', { name: /Submit the final report/ })
    const banner = within(dialog).getByRole('region', { name: 'Patient' })
    expect(within(banner).getByRole('heading').textContent).toBe('TESTPATIENT, Bea')
    expect(within(dialog).getByText(/Dr Rae Diologist · 1234567A/)).toBeTruthy()
    const before = Date.now()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send final report' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(outbox.reports).toHaveLength(1)
    expect(outbox.reports[0]).toMatchObject({
      reportText: 'No acute intracranial abnormality.',
      reportStatus: 'final',
      clinician: CLINICIAN,
    })
    expect(Date.parse(outbox.reports[0]!.reportedAtUtc)).toBeGreaterThanOrEqual(before - 1000)
    expect(outbox.reports[0]!.submissionKey).toMatch(/^[0-9a-f-]{36}$/)
    // The draft stays (and remembers the entry) until delivery.
    await waitFor(async () => expect((await storedDraft())?.content.submissions).toHaveLength(1))
    const submitted = await screen.findByRole('list', { name: 'Submitted reports' })
    await waitFor(() => expect(within(submitted).getByRole('listitem').dataset['state']).toBe('queued'))
    expect(field.readOnly).toBe(false)

    outbox.deliver('r1')
    act(() => fake.emit('outboxChanged', { entryId: 'r1', state: 'delivered' }))
    await waitFor(() => expect(within(submitted).getByRole('listitem').dataset['state']).toBe('delivered'))
    await waitFor(() => expect(field.readOnly).toBe(true))
    expect(screen.getByText(/Delivered — read-only/)).toBeTruthy()
    await waitFor(async () => expect((await storedDraft())?.deliveredAt).not.toBeNull())
    expect((await storedDraft())?.content.text).toBe('No acute intracranial abnormality.')

    // Resubmission is explicit: a warning first, then the report is editable again.
    fireEvent.click(screen.getByRole('button', { name: 'Submit again…' }))
    expect(screen.getByRole('alert').textContent).toMatch(/already delivered/)
    fireEvent.click(screen.getByRole('button', { name: 'Edit and submit again' }))
    await waitFor(() => expect(field.readOnly).toBe(false))
    expect(screen.getByRole('button', { name: 'Submit final' })).toBeTruthy()
  })

  it('sends nothing when the person goes back from the dialog, and Escape there does not leave the appointment', async () => {
    withClinician()
    const outbox = fakeOutbox()
    const { field } = await openEditor({ methods: outbox.methods })
    typeAtCaret(field, 'Text.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit preliminary' }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Back to the report' }), { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(useShellStore.getState().route.screen).toBe('appointment')
    expect(outbox.reports).toHaveLength(0)
  })

  it('checks report files by content, one error per refused file, and queues the good ones after the report', async () => {
    withClinician()
    const outbox = fakeOutbox()
    const { field } = await openEditor({ methods: outbox.methods })
    typeAtCaret(field, 'See attached.')
    const pdf = new File([new TextEncoder().encode('%PDF-1.7\n...')], 'key-images.pdf')
    const dicom = new File([new Uint8Array([...new Uint8Array(128), 0x44, 0x49, 0x43, 0x4d, 1, 2])], 'sr.dcm')
    const fakePdf = new File([new TextEncoder().encode('not a pdf')], 'renamed.pdf')
    const huge = new File([new Uint8Array(2_000_001)], 'huge.pdf')
    const longName = new File([new TextEncoder().encode('%PDF-1.4')], `${'n'.repeat(252)}.pdf`)
    fireEvent.change(screen.getByLabelText(/Attach PDF or DICOM SR/), {
      target: { files: [pdf, dicom, fakePdf, huge, longName] },
    })
    const refused = await screen.findByRole('list', { name: 'Files not added' })
    expect(within(refused).getByText(/renamed\.pdf: only PDF and DICOM SR/)).toBeTruthy()
    expect(within(refused).getByText(/huge\.pdf: the file is larger than 2,000,000 bytes/)).toBeTruthy()
    expect(within(refused).getByText(/1 to 255 characters/)).toBeTruthy()
    const kept = screen.getByRole('list', { name: 'Files to send with the report' })
    expect(
      within(kept)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([expect.stringMatching(/^key-images\.pdf \(PDF/), expect.stringMatching(/^sr\.dcm \(DICOM/)])
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Send final report' }))
    await waitFor(() => expect(outbox.order).toEqual(['report:final', 'file:key-images.pdf', 'file:sr.dcm']))
    expect(outbox.files.map((f) => f.contentType)).toEqual(['application/pdf', 'application/dicom'])
    expect(await screen.findByRole('list', { name: 'Report files' })).toBeTruthy()
  })

  it('names the person’s own submit chords on the Submit buttons (aria-keyshortcuts), not the defaults', async () => {
    useSettingsStore.setState({
      settings: {
        ...DEFAULT_SETTINGS,
        shortcuts: {
          ...DEFAULT_SETTINGS.shortcuts,
          submitPreliminary: ['Ctrl+Alt+F7'],
          submitFinal: ['F8', 'Shift+F9'],
        },
      },
    })
    await openEditor({ methods: fakeOutbox().methods })
    const attribute = (name: string) => screen.getByRole('button', { name }).getAttribute('aria-keyshortcuts')
    expect(attribute('Submit preliminary')).toBe('Control+Alt+F7')
    expect(attribute('Submit final')).toBe('F8 Shift+F9')
  })

  it('takes files dropped on the report area, checked the same way', async () => {
    const { field } = await openEditor({ methods: fakeOutbox().methods })
    typeAtCaret(field, 'x')
    // Nothing refused yet: no alert on the page (an empty one tells assistive tech and tests there is one).
    expect(screen.queryAllByRole('alert')).toEqual([])
    const area = screen.getByText(/or drop files here/).closest('.report-files')!
    const dropped = [
      new File([new TextEncoder().encode('%PDF-1.7')], 'dropped.pdf'),
      new File([new TextEncoder().encode('GIF89a')], 'picture.pdf'),
    ]
    fireEvent.dragOver(area, { dataTransfer: { files: dropped } })
    fireEvent.drop(area, { dataTransfer: { files: dropped } })
    const kept = await screen.findByRole('list', { name: 'Files to send with the report' })
    expect(within(kept).getByText(/^dropped\.pdf/)).toBeTruthy()
    const refused = screen.getByRole('list', { name: 'Files not added' })
    expect(within(refused).getByText(/picture\.pdf: only PDF and DICOM SR/)).toBeTruthy()
    expect(screen.getByRole('alert').contains(refused)).toBe(true)
  })

  it('refuses a 21st file with its own message', async () => {
    const { field } = await openEditor({ methods: fakeOutbox().methods })
    typeAtCaret(field, 'x')
    const pdfs = Array.from(
      { length: 21 },
      (_, i) => new File([new TextEncoder().encode('%PDF-1.7')], `p${i}.pdf`),
    )
    fireEvent.change(screen.getByLabelText(/Attach PDF or DICOM SR/), { target: { files: pdfs } })
    const refused = await screen.findByRole('list', { name: 'Files not added' })
    expect(within(refused).getByText('p20.pdf: a report takes at most 20 files')).toBeTruthy()
  })

  it('shows the draft in the worklist until its report is delivered, and drops a delivered draft only once its appointment left the worklist', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const outbox = fakeOutbox()
    withClinician()
    const { field, fake } = await openEditor({ db, methods: outbox.methods })
    withClinician()
    typeAtCaret(field, 'Draft text.')
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe('Draft text.'))
    act(() => useShellStore.getState().navigate({ screen: 'worklist' }))
    const grid = await screen.findByRole('grid', { name: 'Worklist' })
    await waitFor(() => expect(within(grid).getByText('✎ draft')).toBeTruthy())

    act(() =>
      useShellStore.getState().navigate({ screen: 'appointment', domain: 'demo', appointmentId: 'A9' }),
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Submit final' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Send final report' }))
    await waitFor(() => expect(outbox.reports).toHaveLength(1))
    outbox.deliver('r1')
    act(() => fake.emit('outboxChanged', { entryId: 'r1', state: 'delivered' }))
    await waitFor(async () => expect((await storedDraft())?.deliveredAt).not.toBeNull())

    const session = useShellStore.getState().session!
    // Still on the worklist: the read-only draft stays.
    await purgeAppointmentCacheNotIn(session, [{ domain: 'demo', appointmentId: 'A9' }])
    expect(await db.drafts.count()).toBe(1)
    // Gone from the worklist: dropped.
    await purgeAppointmentCacheNotIn(session, [])
    expect(await db.drafts.count()).toBe(0)
  })

  it('records a report delivered after the person moved on: the draft turns delivered and loses its ✎ badge', async () => {
    const { outbox, field, fake } = await openSigned()
    typeAtCaret(field, 'Final words.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Send final report' }))
    await waitFor(async () => expect((await storedDraft())?.content.submissions).toHaveLength(1))
    act(() => useShellStore.getState().navigate({ screen: 'worklist' }))
    const grid = await screen.findByRole('grid', { name: 'Worklist' })
    await waitFor(() => expect(within(grid).getByText('✎ draft')).toBeTruthy())

    outbox.deliver('r1')
    act(() => fake.emit('outboxChanged', { entryId: 'r1', state: 'delivered' }))
    await waitFor(async () => expect((await storedDraft())?.deliveredAt).not.toBeNull())
    const stored = await storedDraft()
    expect(stored?.content.submissions).toEqual([{ entryId: 'r1', reportStatus: 'final', delivered: true }])
    expect(stored?.content.text).toBe('Final words.')
    await waitFor(() => expect(within(grid).queryByText('✎ draft')).toBeNull())
  })

  it('records at start a report delivered while the app was closed', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const { outbox, field, unmount } = await openSigned(db)
    typeAtCaret(field, 'Sent before closing.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Send final report' }))
    await waitFor(async () => expect((await storedDraft())?.content.submissions).toHaveLength(1))
    // Closed on the worklist: no editor opens at the next start to note the delivery itself.
    act(() => useShellStore.getState().navigate({ screen: 'worklist' }))
    unmount()

    outbox.deliver('r1')
    installFakeBridge({ ...worklistMethods(() => [EDITOR_VIEW]), ...outbox.methods })
    render(createElement(AppShell, { db }))
    await waitFor(() => expect(useShellStore.getState().session).not.toBeNull())
    await waitFor(async () => expect((await storedDraft())?.deliveredAt).not.toBeNull())
    expect((await storedDraft())?.content.submissions[0]?.delivered).toBe(true)
    expect(useShellStore.getState().route.screen).toBe('worklist')
  })

  it('warns before a second final while the first still waits in the outbox; a delivered final keeps "Submit again"', async () => {
    const { outbox, field, fake } = await openSigned()
    typeAtCaret(field, 'No acute abnormality.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    let dialog = await screen.findByRole('dialog', { name: /Submit the final report/ })
    expect(within(dialog).getByText('Every pre-submit check passed.')).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send final report' }))
    await waitFor(() => expect(outbox.reports).toHaveLength(1))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    typeAtCaret(field, ' Addendum.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    dialog = await screen.findByRole('dialog', { name: /Submit the final report/ })
    const checks = within(dialog).getByRole('list', { name: 'Pre-submit checks' })
    expect(checks.textContent).toMatch(
      /a final for this appointment is already waiting to be sent \(queued /i,
    )
    const send = within(dialog).getByRole('button', { name: 'Send final report' }) as HTMLButtonElement
    expect(send.disabled).toBe(true)
    fireEvent.click(within(dialog).getByRole('checkbox'))
    expect(send.disabled).toBe(false)
    fireEvent.click(send)
    await waitFor(() => expect(outbox.reports).toHaveLength(2))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    // Both delivered: read-only, and the explicit "Submit again…" is the way to send another.
    outbox.deliver('r1')
    outbox.deliver('r2')
    act(() => fake.emit('outboxChanged', { entryId: 'r2', state: 'delivered' }))
    await waitFor(() => expect(field.readOnly).toBe(true))
    fireEvent.click(screen.getByRole('button', { name: 'Submit again…' }))
    fireEvent.click(screen.getByRole('button', { name: 'Edit and submit again' }))
    await waitFor(() => expect(field.readOnly).toBe(false))
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    dialog = await screen.findByRole('dialog', { name: /Submit the final report/ })
    expect(within(dialog).getByText('Every pre-submit check passed.')).toBeTruthy()
  })

  it('never drops an undelivered draft when its appointment is purged', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const { field } = await openEditor({ db })
    typeAtCaret(field, 'Keep me.')
    await waitFor(async () => expect(await db.drafts.count()).toBe(1))
    await purgeAppointmentCacheNotIn(useShellStore.getState().session!, [])
    expect(await db.drafts.count()).toBe(1)
  })
})
