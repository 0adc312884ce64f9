import { describe, expect, it } from 'vitest'
import type { OutboxEntryView } from '../../src-preload/contract'
import { useAppointmentStore } from '../../src-renderer/src/features/appointment'
import { isWaiting, useOutboxStore } from '../../src-renderer/src/features/outbox'
import { installFakeBridge } from './fake-bridge'
import { outboxEntry } from './fixtures'
import { useFreshStores } from './stores'

useFreshStores()

/** A re-read of the outbox that answers only when the test says, with what main had when it was asked. */
function slowListOutbox() {
  const pending: ((entries: OutboxEntryView[]) => void)[] = []
  const listOutbox = () => new Promise<OutboxEntryView[]>((resolve) => pending.push(resolve))
  return {
    listOutbox,
    answerOldest: (entries: OutboxEntryView[]) => pending.shift()?.(entries),
    answerNewest: (entries: OutboxEntryView[]) => pending.pop()?.(entries),
  }
}
const waiting = () => useOutboxStore.getState().entries.filter(isWaiting).length

describe('outbox store', () => {
  it('counts a comment main queued as soon as main answers, before any re-read of the outbox lands', async () => {
    const queued = outboxEntry({ id: 'c-new', kind: 'comment' })
    const slow = slowListOutbox()
    installFakeBridge({ listOutbox: slow.listOutbox, enqueueComment: async () => queued })
    expect(
      await useAppointmentStore
        .getState()
        .addComment('demo', 'A1', { commentText: 'Please send priors.', isAlert: false, commentType: 'AC' }),
    ).toBe(true)
    // The header's count and the comment's state read the same store: both know the entry now.
    expect(waiting()).toBe(1)
  })

  it('ignores a re-read asked before the last one when it lands after it (it cannot know newer entries)', async () => {
    const queued = outboxEntry({ id: 'c-new' })
    const slow = slowListOutbox()
    installFakeBridge({ listOutbox: slow.listOutbox })
    const older = useOutboxStore.getState().load()
    const newer = useOutboxStore.getState().load()
    slow.answerNewest([queued])
    await newer
    slow.answerOldest([])
    await older
    expect(useOutboxStore.getState().entries.map((e) => e.id)).toEqual(['c-new'])
  })
})
