import type { KeyEventLike } from '../../src-renderer/src/ui/key-chord'

/** A key press as the chord reader sees it: no modifiers unless given. */
export const press = (key: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({
  key,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...extra,
})
