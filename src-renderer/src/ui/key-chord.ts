import { KeyChordSchema, type KeyChord } from '../../../src-preload/contract/settings-schemas'

/**
 * The one reader of key chords: what Settings captures when a microphone button is pressed, and what
 * the editor matches a key press against, must be the same spelling, or a button set in Settings would
 * do nothing in the report.
 */

/** A key event as both callers see it; `code` may be missing (synthetic events, some drivers). */
export interface KeyEventLike {
  readonly key: string
  readonly code?: string
  readonly ctrlKey: boolean
  readonly altKey: boolean
  readonly shiftKey: boolean
  readonly metaKey: boolean
}

export const MODIFIER_ORDER = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const

/** Keys named as the contract names them (`Space`, `PageUp`), by `KeyboardEvent.key`. */
const NAMED_KEYS: Readonly<Record<string, string>> = {
  ' ': 'Space',
  Spacebar: 'Space',
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

/** A key's name as the contract spells it, from any casing (`pageup`, `f9`); null if it has none. */
export function namedKey(key: string): string | null {
  const exact = NAMED_KEYS[key]
  if (exact !== undefined) return exact
  const lower = key.toLowerCase()
  const found = Object.values(NAMED_KEYS).find((name) => name.toLowerCase() === lower)
  if (found !== undefined) return found
  return /^f(?:[1-9]|1[0-9]|2[0-4])$/.test(lower) ? lower.toUpperCase() : null
}

/**
 * The key itself, apart from its modifiers. Letters and digits by position when there is a `code`: with
 * Shift or Alt held `key` is "!" or "å", but the button pressed is still Digit1 or KeyA.
 */
function keyName(event: Readonly<KeyEventLike>): string | null {
  const position = /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(event.code ?? '')
  if (position) return position[1] ?? position[2] ?? position[3] ?? null
  if (/^[A-Za-z0-9]$/.test(event.key)) return event.key.toUpperCase()
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
export function chordOf(event: Readonly<KeyEventLike>): ChordCapture {
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

/** The chord a key press names, or null (a modifier alone, arrows, a dead key…). */
export function chordOfEvent(event: Readonly<KeyEventLike>): KeyChord | null {
  const capture = chordOf(event)
  return capture.kind === 'chord' ? capture.chord : null
}
