import { describe, expect, it, vi } from 'vitest'
import type { AppointmentView } from '../../src-preload/contract'
import type { CacheSession } from '../../src-renderer/src/db/cache-session'
import { useAppointmentStore } from '../../src-renderer/src/features/appointment'
import { installFakeBridge } from './fake-bridge'
import { appointment } from './fixtures'
import { resetStores, useFreshStores } from './stores'

useFreshStores()

/** No cache: its reads fail, so only what main answers is shown (the store treats the cache as optional). */
const NO_CACHE = {} as CacheSession

describe('appointment store', () => {
  it('ignores an answer of an earlier open of the same appointment that lands after a later open', async () => {
    const older = appointment({ appointmentId: 'A5', modality: 'CT', studyDescription: 'CT Head' })
    const newer = appointment({ appointmentId: 'A5', modality: 'XR', studyDescription: 'XR Left Knee' })
    let answerOlder: (view: AppointmentView) => void = () => undefined
    const answers = [
      () => new Promise<AppointmentView>((resolve) => (answerOlder = resolve)),
      async () => newer,
    ]
    installFakeBridge({ getAppointment: () => answers.shift()!(), listComments: async () => [] })
    const first = useAppointmentStore.getState().open(NO_CACHE, 'demo', 'A5')
    await vi.waitFor(() => expect(answers).toHaveLength(1))
    // The person went elsewhere and back (or the page's state was reset) and the same appointment opened again.
    resetStores()
    await useAppointmentStore.getState().open(NO_CACHE, 'demo', 'A5')
    expect(useAppointmentStore.getState().view?.studyDescription).toBe('XR Left Knee')
    answerOlder(older)
    await first
    expect(useAppointmentStore.getState().view?.studyDescription).toBe('XR Left Knee')
  })
})
