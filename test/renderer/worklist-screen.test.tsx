import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { openCacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { saveWorklistSnapshot } from '../../src-renderer/src/db/worklist-cache'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { installFakeBridge } from './fake-bridge'
import { appointment, fixedKey, outboxEntry, worklistMethods } from './fixtures'
import { resetStores, useFreshStores } from './stores'

const freshDb = () => new ReporterDatabase(`test-${crypto.randomUUID()}`)
const rowsOf = () =>
  within(screen.getByRole('grid', { name: 'Worklist' }))
    .getAllByRole('row')
    .slice(1)
const namesOf = () => rowsOf().map((r) => within(r).getAllByRole('gridcell')[2]!.textContent)

const LIST = [
  appointment({
    appointmentId: 'A1',
    lastName: 'Routine',
    firstName: 'Rita',
    patientName: 'x',
    priority: 'Routine',
    modality: 'CT',
  }),
  appointment({
    appointmentId: 'A2',
    lastName: 'Stat',
    firstName: 'Sam',
    patientName: 'y',
    priority: 'STAT',
    modality: 'MR',
    studyDescription: 'MR Brain',
  }),
  appointment({
    appointmentId: 'A3',
    lastName: 'Urgent',
    firstName: 'Uma',
    patientName: 'z',
    priority: 'Urgent',
    modality: 'CT',
  }),
]

describe('worklist screen', () => {
  useFreshStores()

  it('shows the cached worklist at once, before the background refresh answers', async () => {
    const db = freshDb()
    const session = await openCacheSession(db, { keyId: 'k1', rawKey: new Uint8Array(fixedKey) })
    await saveWorklistSnapshot(session, [{ view: LIST[0]!, pending: true, refreshId: 'old' }])
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    installFakeBridge(worklistMethods(() => LIST, { gate }))
    render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toEqual(['ROUTINE, Rita']))
    expect(screen.getByRole('button', { name: 'Refreshing…' })).toBeTruthy()
    release()
    await waitFor(() => expect(namesOf()).toEqual(['STAT, Sam', 'URGENT, Uma', 'ROUTINE, Rita']))
    const grid = screen.getByRole('grid', { name: 'Worklist' })
    expect(grid.getAttribute('aria-rowcount')).toBe('4')
    expect(rowsOf().map((r) => r.getAttribute('aria-rowindex'))).toEqual(['2', '3', '4'])
    // Site time in the site's own zone, with the zone shown.
    expect(within(rowsOf()[0]!).getByText('2026-12-01 09:30 AEDT')).toBeTruthy()
  })

  it('sorts by a column, filters by text and modality, and remembers the sort but not the text', async () => {
    const db = freshDb()
    installFakeBridge(worklistMethods(() => LIST))
    const user = userEvent.setup()
    const { unmount } = render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toHaveLength(3))
    await user.click(screen.getByRole('button', { name: 'Patient' }))
    expect(namesOf()).toEqual(['ROUTINE, Rita', 'STAT, Sam', 'URGENT, Uma'])
    await user.click(screen.getByRole('button', { name: /Patient/ }))
    expect(namesOf()).toEqual(['URGENT, Uma', 'STAT, Sam', 'ROUTINE, Rita'])
    expect(screen.getByRole('columnheader', { name: /Patient/ }).getAttribute('aria-sort')).toBe('descending')

    await user.type(screen.getByRole('searchbox', { name: 'Filter worklist' }), 'brain')
    await waitFor(() => expect(namesOf()).toEqual(['STAT, Sam']))
    await user.clear(screen.getByRole('searchbox', { name: 'Filter worklist' }))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by modality' }), 'CT')
    await waitFor(() => expect(namesOf()).toEqual(['URGENT, Uma', 'ROUTINE, Rita']))
    await user.type(screen.getByRole('searchbox', { name: 'Filter worklist' }), 'uma')
    unmount()
    resetStores()

    render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toEqual(['URGENT, Uma', 'ROUTINE, Rita']))
    expect((screen.getByRole('searchbox', { name: 'Filter worklist' }) as HTMLInputElement).value).toBe('')
    expect(screen.getByRole('columnheader', { name: /Patient/ }).getAttribute('aria-sort')).toBe('descending')
  })

  it('is keyboard first: / to the filter, Escape back to the grid, arrows and Enter open, ? shows help', async () => {
    const db = freshDb()
    const fake = worklistMethods(() => LIST)
    installFakeBridge({
      ...fake,
      getAppointment: async (domain, id) => LIST.find((a) => a.appointmentId === id && a.domain === domain)!,
      listComments: async () => [],
    })
    const user = userEvent.setup()
    render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toHaveLength(3))
    await user.keyboard('/')
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Filter worklist' })),
    )
    await user.keyboard('{Escape}')
    const grid = screen.getByRole('grid', { name: 'Worklist' })
    expect(document.activeElement).toBe(grid)
    await user.keyboard('{ArrowDown}')
    expect(rowsOf()[1]!.getAttribute('aria-selected')).toBe('true')
    expect(grid.getAttribute('aria-activedescendant')).toBe(rowsOf()[1]!.id)
    await user.keyboard('{Enter}')
    const banner = await screen.findByRole('region', { name: 'Patient' })
    expect(within(banner).getByRole('heading').textContent).toBe('URGENT, Uma')
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.getByRole('grid', { name: 'Worklist' })).toBeTruthy())

    await user.keyboard('?')
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(
      within(help).getByText(
        'Next case: open the most urgent appointment not yet reported (within the filters)',
      ),
    ).toBeTruthy()
    expect(document.activeElement).toBe(within(help).getByRole('button', { name: 'Close' }))
    await user.keyboard('{Tab}')
    expect(document.activeElement).toBe(within(help).getByRole('button', { name: 'Close' }))
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('grid', { name: 'Worklist' }))

    await user.keyboard('n')
    const next = await screen.findByRole('region', { name: 'Patient' })
    expect(within(next).getByRole('heading').textContent).toBe('STAT, Sam')
  })

  it('renders only the rows on screen for a large list while announcing its full size', async () => {
    const db = freshDb()
    const many = Array.from({ length: 2000 }, (_, n) =>
      appointment({ appointmentId: `B${n}`, lastName: `P${n}` }),
    )
    installFakeBridge(worklistMethods(() => many))
    render(<AppShell db={db} />)
    await waitFor(() =>
      expect(screen.getByRole('grid', { name: 'Worklist' }).getAttribute('aria-rowcount')).toBe('2001'),
    )
    expect(rowsOf().length).toBeLessThan(60)
  }, 20_000)
})

describe('last successful refresh', () => {
  useFreshStores()

  it('a failed refresh keeps the time of the last good one in the toolbar and the status, and says it failed', async () => {
    const db = freshDb()
    const methods = worklistMethods(() => LIST)
    let offline = false
    installFakeBridge({
      ...methods,
      refreshWorklist: async () => {
        if (offline) throw new Error('QUBS could not be reached')
        return methods.refreshWorklist!()
      },
    })
    const user = userEvent.setup()
    render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toHaveLength(3))
    await screen.findByText(/^Refreshed /)
    const good = useWorklistStore.getState().lastSuccessfulRefreshAt!
    expect(good).toBeGreaterThan(0)
    const goodText = new Date(good).toLocaleTimeString()
    await new Promise((resolve) => setTimeout(resolve, 1100))
    offline = true
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    await screen.findByText(/last attempt failed/)
    expect(useWorklistStore.getState().lastSuccessfulRefreshAt).toBe(good)
    const toolbar = screen.getByRole('region', { name: 'Worklist screen' })
    expect(within(toolbar).getByText(`Refreshed ${goodText}`)).toBeTruthy()
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toContain(
      `last refresh ${goodText}`,
    )
  })
})

describe('state and notes columns', () => {
  useFreshStores()

  it('names the kind of each outbox entry, hides delivered comments, and gives every cell a title', async () => {
    const db = freshDb()
    installFakeBridge({
      ...worklistMethods(() => LIST),
      listOutbox: async () => [
        outboxEntry({ id: 'c1', kind: 'comment', appointmentId: 'A1', state: 'delivered' }),
        outboxEntry({ id: 'r2', kind: 'report', appointmentId: 'A2', state: 'held' }),
        outboxEntry({ id: 'c2', kind: 'comment', appointmentId: 'A2', state: 'queued' }),
      ],
    })
    render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toEqual(['STAT, Sam', 'URGENT, Uma', 'ROUTINE, Rita']))
    const stateOf = (row: HTMLElement) => within(row).getAllByRole('gridcell')[10]!
    await waitFor(() => expect(stateOf(rowsOf()[0]!).textContent).toContain('report held'))
    expect(stateOf(rowsOf()[0]!).textContent).toContain('comment queued')
    expect(stateOf(rowsOf()[0]!).getAttribute('title')).toMatch(/report held.*comment queued/)
    // A delivered comment is no news to the radiologist: no bare "delivered" that reads as "report done".
    expect(stateOf(rowsOf()[2]!).textContent).toBe('')
    const cells = within(rowsOf()[0]!).getAllByRole('gridcell')
    expect(cells[2]!.getAttribute('title')).toBe('STAT, Sam')
    expect(cells[7]!.getAttribute('title')).toBe('Harbour Imaging')
  })
})

describe('next case', () => {
  useFreshStores()

  it('respects the filters: with CT chosen, N and the button open the most urgent CT study, not the STAT MR', async () => {
    const db = freshDb()
    installFakeBridge({
      ...worklistMethods(() => LIST),
      getAppointment: async (domain, id) => LIST.find((a) => a.appointmentId === id && a.domain === domain)!,
      listComments: async () => [],
    })
    const user = userEvent.setup()
    render(<AppShell db={db} />)
    await waitFor(() => expect(namesOf()).toHaveLength(3))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by modality' }), 'CT')
    await waitFor(() => expect(namesOf()).toEqual(['URGENT, Uma', 'ROUTINE, Rita']))
    const button = screen.getByRole('button', { name: 'Next case' })
    expect(button.getAttribute('title')).toMatch(/filter/)
    screen.getByRole('grid', { name: 'Worklist' }).focus()
    await user.keyboard('n')
    const banner = await screen.findByRole('region', { name: 'Patient' })
    expect(within(banner).getByRole('heading').textContent).toBe('URGENT, Uma')
  })
})
