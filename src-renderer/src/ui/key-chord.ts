import { KeyChordSchema, type KeyChord } from '../../../src-preload/contract/settings-schemas'

/** Keys named as the contract names them (`Space`, `PageUp`), by `KeyboardEvent.key`. */
const NAMED_KEYS: Readonly<Record<string, string>> = {
  ' ': 'Space',
  Tab: 'Tab',
  Enter: 'Enter',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Pause: 'Pause',
  ScrollLock: 'ScrollLock',
}

/** The key itself, apart from its modifiers; letters and digits by position, so Shift+2 is not "@". */
function keyName(event: Pick<KeyboardEvent, 'key' | 'code'>): string | null {
  const position = /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(event.code)
  if (position) return position[1] ?? position[2] ?? position[3] ?? null
  if (/^F(?:[1-9]|1[0-9]|2[0-4])$/.test(event.key)) return event.key
  return NAMED_KEYS[event.key] ?? null
}

export type ChordCapture =
  | { readonly kind: 'chord'; readonly chord: KeyChord }
  /** A modifier alone so far: keep listening. */
  | { readonly kind: 'waiting' }
  | { readonly kind: 'unsupported'; readonly key: string }

/**
 * What a key press means as a chord, as a microphone button or the keyboard sends it: modifiers in a
 * fixed order (Ctrl, Alt, Shift, Meta) then the key, e.g. `Ctrl+Shift+F9`.
 */
export function chordOf(
  event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>,
): ChordCapture {
  if (['Control', 'Alt', 'Shift', 'Meta', 'AltGraph'].includes(event.key)) return { kind: 'waiting' }
  const key = keyName(event)
  if (!key) return { kind: 'unsupported', key: event.key }
  const modifiers = [
    event.ctrlKey && 'Ctrl',
    event.altKey && 'Alt',
    event.shiftKey && 'Shift',
    event.metaKey && 'Meta',
  ].filter((m): m is string => typeof m === 'string')
  const parsed = KeyChordSchema.safeParse([...modifiers, key].join('+'))
  return parsed.success ? { kind: 'chord', chord: parsed.data } : { kind: 'unsupported', key: event.key }
}
