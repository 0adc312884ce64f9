import { create } from 'zustand'
import type { LockReason } from '../../../../src-preload/contract'

/**
 * Whether the screen is locked, and why. Locking never unmounts the app: `LockGate` hides it (inert and
 * invisible) behind an opaque overlay, so a draft's text, its caret and every screen's state are exactly
 * as they were on unlock. There are no user passwords in this app: unlocking asks only that the person
 * says they are back.
 */
interface LockState {
  readonly locked: boolean
  readonly reason: LockReason | null
  lock(reason: LockReason): void
  unlock(): void
}

export const useLockStore = create<LockState>((set, get) => ({
  locked: false,
  reason: null,
  lock: (reason) => {
    if (!get().locked) set({ locked: true, reason })
  },
  unlock: () => set({ locked: false, reason: null }),
}))
