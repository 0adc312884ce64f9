import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { ApiMethods, CommentView } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { installFakeBridge } from './fake-bridge'
import { fakeSettings } from './fake-settings'
import { appointment, outboxEntry, worklistMethods } from './fixtures'
import { resetStores, useFreshStores } from './stores'

describe('app shell behaviour', () => {
  useFreshStores()

  it('refreshes the worklist when QUBS is reachable again', async () => {
    const methods = worklistMethods(() => [appointment()])
    let refreshes = 0
    const counted: Partial<ApiMethods> = {
      ...methods,
      getConnectivity: async () => ({ state: 'offline', lastSuccessAt: null, lastAttemptAt: null }),
      refreshWorklist: async () => {
        refreshes++
        return methods.refreshWorklist!()
      },
    }
    const fake = installFakeBridge(counted)
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(/^Offline/),
    )
    await waitFor(() => expect(refreshes).toBe(1))
    fake.emit('connectivityChanged', {
      state: 'online',
      lastSuccessAt: new Date().toISOString(),
      lastAttemptAt: null,
    })
    await waitFor(() => expect(refreshes).toBe(2))
    expect(screen.getByRole('status', { name: 'Connection' }).textContent).toMatch(/Online/)
  })

  it('starts dark, remembers the light theme and the zoom across a reload (kept by main as settings)', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const settings = fakeSettings()
    installFakeBridge({ ...worklistMethods(() => [appointment()]), ...settings.methods })
    const user = userEvent.setup()
    const { unmount } = render(<AppShell db={db} />)
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('dark'))
    await screen.findByRole('grid', { name: 'Worklist' })
    await user.keyboard('t')
    await user.keyboard('{Control>}={/Control}')
    expect(document.documentElement.dataset['theme']).toBe('light')
    expect(document.documentElement.style.getPropertyValue('--zoom')).toBe('1.1')
    await waitFor(() => expect(settings.settings.appearance).toEqual({ theme: 'light', zoom: 1.1 }))
    unmount()
    // Not in the page's own storage any more: a new profile on the same main gets them too.
    resetStores()
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('light'))
    expect(document.documentElement.style.getPropertyValue('--zoom')).toBe('1.1')
    await user.keyboard('{Control>}0{/Control}')
    expect(document.documentElement.style.getPropertyValue('--zoom')).toBe('1')
  })

  it('the R key refreshes like the timer does: the most urgent comments are prefetched after it', async () => {
    const methods = worklistMethods(() => [appointment()])
    let refreshes = 0
    const commentFetches: string[] = []
    installFakeBridge({
      ...methods,
      refreshWorklist: async () => {
        refreshes++
        return methods.refreshWorklist!()
      },
      listComments: async (_domain, appointmentId) => {
        commentFetches.push(appointmentId)
        return []
      },
      listAttachments: async () => [],
    })
    const user = userEvent.setup()
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await waitFor(() => expect(commentFetches).toEqual(['A1']))
    expect(refreshes).toBe(1)
    await user.keyboard('r')
    await waitFor(() => expect(refreshes).toBe(2))
    await waitFor(() => expect(commentFetches).toEqual(['A1', 'A1']))
  })

  it('while the help is open, only Escape acts: N, O, W, T and R do nothing behind it', async () => {
    const methods = worklistMethods(() => [appointment()])
    let refreshes = 0
    installFakeBridge({
      ...methods,
      refreshWorklist: async () => {
        refreshes++
        return methods.refreshWorklist!()
      },
    })
    const user = userEvent.setup()
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await screen.findByRole('grid', { name: 'Worklist' })
    await waitFor(() => expect(refreshes).toBe(1))
    await user.keyboard('?')
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(within(help).getByText('PDF: next / previous page')).toBeTruthy()
    expect(within(help).getByText(/PDF.*zoom in \/ out \/ fit width/)).toBeTruthy()
    await user.keyboard('nowtr')
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy()
    expect(screen.getByRole('grid', { name: 'Worklist' })).toBeTruthy()
    expect(document.documentElement.dataset['theme']).toBe('dark')
    expect(refreshes).toBe(1)
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('a comment delivered from the outbox shows in the worklist badge without a restart', async () => {
    const methods = worklistMethods(() => [appointment()])
    let outbox = [outboxEntry({ id: 'c1', kind: 'comment', appointmentId: 'A1', state: 'sending' })]
    let comments: CommentView[] = []
    const fake = installFakeBridge({
      ...methods,
      listOutbox: async () => outbox,
      listComments: async () => comments,
      listAttachments: async () => [],
    })
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await screen.findByRole('grid', { name: 'Worklist' })
    await waitFor(() => expect(useWorklistStore.getState().lastRefresh).not.toBeNull())
    expect(screen.queryByText(/\d+ comments?$/)).toBeNull()
    comments = [
      {
        guid: 'g1',
        commentType: 'AC',
        appointmentId: 'A1',
        patientId: 'P1',
        commentText: 'Fake comment',
        commentDateTime: null,
        isAlert: false,
        commentBy: null,
        lastModifiedDateTime: null,
        extra: {},
      },
    ]
    outbox = [{ ...outbox[0]!, state: 'delivered', deliveredAt: Date.now() }]
    fake.emit('outboxChanged', undefined as never)
    expect(await screen.findByText('1 comment')).toBeTruthy()
  })

  it('the header has one Outbox control, named with the entries waiting, that opens the outbox', async () => {
    let outbox = [
      outboxEntry({ id: 'c1', state: 'queued' }),
      outboxEntry({ id: 'c2', state: 'delivered', deliveredAt: 1 }),
    ]
    const fake = installFakeBridge({
      ...worklistMethods(() => [appointment()]),
      listOutbox: async () => outbox,
    })
    render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} />)
    await screen.findByRole('grid', { name: 'Worklist' })
    const header = () => screen.getByRole('banner')
    // The count is shown, not only read out.
    expect((await screen.findByRole('button', { name: 'Outbox: 1 waiting' })).textContent).toBe('Outbox 1')
    expect(within(header()).getAllByRole('button', { name: /Outbox/ })).toHaveLength(1)
    outbox = [...outbox, outboxEntry({ id: 'c3', state: 'held' })]
    fake.emit('outboxChanged', undefined as never)
    fireEvent.click(await screen.findByRole('button', { name: 'Outbox: 2 waiting' }))
    expect(await screen.findByRole('region', { name: 'Outbox' })).toBeTruthy()
  })
})
