import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { OutboxEntryView } from '../../src-preload/contract'
import { OutboxPanel } from '../../src-renderer/src/features/outbox'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { toEntry } from '../../src-renderer/src/features/worklist/worklist-model'
import { StatusIndicator } from '../../src-renderer/src/features/shell/StatusIndicator'
import { installFakeBridge } from './fake-bridge'
import { appointment, outboxEntry } from './fixtures'
import { useFreshStores } from './stores'

describe('outbox panel', () => {
  useFreshStores()

  it('shows every entry with its state, and for a held one the reason, error ids and Retry / Export / Discard after export', async () => {
    let entries: OutboxEntryView[] = [
      outboxEntry({ id: 'd1', state: 'delivered', deliveredAt: 1_764_000_000_000 }),
      outboxEntry({
        id: 'h1',
        kind: 'report',
        reportStatus: 'final',
        appointmentId: 'A9',
        state: 'held',
        attempts: 3,
        heldReason: 'not-pending',
        heldDetail: 'QUBS no longer lists the appointment as pending reporting.',
        lastError: { code: 'conflict', status: 409, requestId: 'req-42', correlationId: 'cor-7' },
      }),
    ]
    const calls: string[] = []
    installFakeBridge({
      listOutbox: async () => entries,
      exportOutboxEntry: async (id) => {
        calls.push(`export ${id}`)
        entries = entries.map((e) => (e.id === id ? { ...e, exportedAt: 1_764_000_200_000 } : e))
        return { entry: entries[1]!, path: '/srv/exports/qubs-export-h1.json' }
      },
      discardOutboxEntry: async (id) => {
        calls.push(`discard ${id}`)
        entries = entries.map((e) => (e.id === id ? { ...e, discardedAt: 1_764_000_300_000 } : e))
        return entries[1]!
      },
      retryOutboxEntry: async (id) => {
        calls.push(`retry ${id}`)
        return entries[1]!
      },
    })
    const user = userEvent.setup()
    render(<OutboxPanel />)
    const region = screen.getByRole('region', { name: 'Outbox' })
    const held = await within(region).findByRole('row', { name: /report for A9: held/ })
    expect(within(region).getByRole('row', { name: /comment for A1: delivered/ })).toBeTruthy()
    expect(within(held).getByText('not-pending')).toBeTruthy()
    expect(within(held).getByText(/QUBS no longer lists/)).toBeTruthy()
    expect(within(held).getByText('conflict · 409 · request req-42 · correlation cor-7')).toBeTruthy()

    const discard = within(held).getByRole('button', { name: 'Discard' }) as HTMLButtonElement
    expect(discard.disabled).toBe(true)
    await user.click(within(held).getByRole('button', { name: 'Retry' }))
    await user.click(within(held).getByRole('button', { name: 'Export' }))
    await waitFor(() =>
      expect(within(held).getByText('Exported to /srv/exports/qubs-export-h1.json')).toBeTruthy(),
    )
    await waitFor(() => expect(discard.disabled).toBe(false))
    await user.click(discard)
    expect(calls).toEqual(['retry h1', 'export h1', 'discard h1'])
    await waitFor(() =>
      expect(within(region).getByRole('row', { name: /report for A9: discarded/ })).toBeTruthy(),
    )
  })
})

describe('outbox rows', () => {
  useFreshStores()

  it("name the patient from the worklist in memory and drop a delivered entry's last error", async () => {
    useWorklistStore.setState({
      entries: [
        toEntry(
          {
            view: appointment({ appointmentId: 'A9', lastName: 'Heldpatient', firstName: 'Hugo' }),
            pending: true,
            refreshId: 'r1',
          },
          new Map(),
        ),
      ],
    })
    installFakeBridge({
      listOutbox: async () => [
        outboxEntry({ id: 'h1', appointmentId: 'A9', state: 'held', heldReason: 'not-pending' }),
        outboxEntry({
          id: 'd1',
          appointmentId: 'A1',
          state: 'delivered',
          deliveredAt: 1_764_000_000_000,
          lastError: { code: 'network' },
        }),
      ],
    })
    render(<OutboxPanel onOpen={() => undefined} />)
    const held = await screen.findByRole('row', { name: /comment for A9: held/ })
    expect(within(held).getByRole('button', { name: /HELDPATIENT, Hugo/ }).textContent).toBe(
      'HELDPATIENT, Hugo · demo / A9',
    )
    const delivered = screen.getByRole('row', { name: /comment for A1: delivered/ })
    // Not in the worklist any more: the ids alone, never a stored name.
    expect(within(delivered).getByRole('button').textContent).toBe('demo / A1')
    expect(within(delivered).queryByText(/network/)).toBeNull()
  })
})

describe('status indicator', () => {
  it('names the connection state and the last refresh', () => {
    const { rerender } = render(
      <StatusIndicator
        connectivity={{ state: 'offline', lastSuccessAt: '2026-12-01T08:00:00Z', lastAttemptAt: null }}
        lastRefreshAt={Date.parse('2026-12-01T08:00:00Z')}
        syncing={false}
      />,
    )
    const status = screen.getByRole('status', { name: 'Connection' })
    expect(status.textContent).toMatch(/^Offline.*last refresh/)
    rerender(
      <StatusIndicator
        connectivity={{
          state: 'credentials-refused',
          lastSuccessAt: null,
          lastAttemptAt: null,
          detail: 'QUBS refused the client credentials',
        }}
        lastRefreshAt={null}
        syncing={false}
      />,
    )
    expect(status.textContent).toMatch(
      /Credentials refused.*never refreshed.*QUBS refused the client credentials/,
    )
    rerender(<StatusIndicator connectivity={null} lastRefreshAt={null} syncing />)
    expect(status.textContent).toMatch(/^Syncing/)
  })
})
