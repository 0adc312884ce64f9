import { describe, expect, it, vi } from 'vitest'
import type { AppointmentView } from '../../src-preload/contract'
import { openCacheSession, type CacheSession } from '../../src-renderer/src/db/cache-session'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
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

describe('open without a bridge', () => {
  it('resolves and says the view could not be refreshed, instead of an unhandled rejection', async () => {
    Object.defineProperty(window, 'qubs', { value: undefined, configurable: true })
    const db = new ReporterDatabase(`no-bridge-${crypto.randomUUID()}`)
    const session = await openCacheSession(db, { keyId: 'k-nb', rawKey: new Uint8Array(32).fill(3) })
    await expect(useAppointmentStore.getState().open(session, 'demo', 'A-NB')).resolves.toBeUndefined()
    expect(useAppointmentStore.getState().loading).toBe(false)
    expect(useAppointmentStore.getState().notice).not.toBeNull()
  })
})
