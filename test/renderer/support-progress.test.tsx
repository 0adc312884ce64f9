import { act, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { getBridge } from '../../src-renderer/src/bridge'
import {
  AttachmentPrefetcher,
  type PrefetchProgress,
} from '../../src-renderer/src/features/attachments/prefetch'
import { ProgressStatus } from '../../src-renderer/src/features/shell/ProgressStatus'
import { useProgressStore } from '../../src-renderer/src/features/shell/progress-store'
import { attachment, installFakeQubs, PDF_BYTES } from './attachments-fixtures'

describe('progress of long work', () => {
  let fake: Awaited<ReturnType<typeof installFakeQubs>> | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
    useProgressStore.setState(useProgressStore.getInitialState(), true)
  })

  it('the prefetch reports appointments done of the run, then that it ended', async () => {
    fake = await installFakeQubs({
      'demo/A1': [{ view: attachment('g1', 'referral.pdf'), bytes: PDF_BYTES }],
      'demo/A2': [{ view: attachment('g2', 'worksheet.pdf'), bytes: PDF_BYTES }],
    })
    const seen: (PrefetchProgress | null)[] = []
    const prefetcher = new AttachmentPrefetcher({
      source: fake.services.source,
      listAttachments: (domain, appointmentId) => getBridge().listAttachments(domain, appointmentId),
      connectivity: { current: async () => 'online', subscribe: () => () => undefined },
      concurrency: 1,
      onProgress: (progress) => seen.push(progress),
    })
    const keys = ['A1', 'A2'].map((appointmentId) => ({ domain: 'demo', appointmentId }))
    await prefetcher.prefetch(keys)
    expect(seen).toEqual([{ done: 0, total: 2 }, { done: 1, total: 2 }, { done: 2, total: 2 }, null])
  })

  it('shows "Caching attachments 3/20" and "Sending 2 of 5" in one fixed slot, empty when idle', () => {
    render(<ProgressStatus />)
    const slot = screen.getByTestId('work-progress')
    expect(slot.textContent).toBe('')
    act(() => useProgressStore.getState().setPrefetch({ done: 3, total: 20 }))
    expect(slot.textContent).toBe('Caching attachments 3/20')
    act(() =>
      useProgressStore
        .getState()
        .setDrain({ draining: true, delivered: 1, total: 5, queued: 3, sending: 1, held: 0 }),
    )
    expect(slot.textContent).toBe('Sending 2 of 5 · Caching attachments 3/20')
    act(() => {
      useProgressStore.getState().setPrefetch(null)
      useProgressStore
        .getState()
        .setDrain({ draining: false, delivered: 5, total: 5, queued: 0, sending: 0, held: 0 })
    })
    expect(slot.textContent).toBe('')
    // Still there (no layout jump when work starts or ends).
    expect(screen.getByTestId('work-progress')).toBe(slot)
  })
})
