import {
  KeyChordSchema,
  ShortcutActionSchema,
  type KeyChord,
  type ShortcutAction,
  type Shortcuts,
} from '../../../../src-preload/contract'

/**
 * Dictation microphones' programmable buttons (PowerMic, SpeechMike) send key chords; so do people.
 * A key event becomes the settings' `KeyChord` spelling (`Ctrl+Shift+F9`), modifiers always in the
 * order Ctrl, Alt, Shift, Meta, and the chord's action is looked up in settings.shortcuts, then in the
 * built-in chords (Tab / Shift+Tab for fields). Letters and digits are read from `code` when there is
 * one: with Shift or Alt held, `key` is "!" or "å", but the button pressed is still Digit1 or KeyA.
 */
export interface KeyEventLike {
  readonly key: string
  readonly code?: string
  readonly ctrlKey: boolean
  readonly altKey: boolean
  readonly shiftKey: boolean
  readonly metaKey: boolean
}

const MODIFIER_ORDER = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const
type Modifier = (typeof MODIFIER_ORDER)[number]

/** On top of settings.shortcuts: what Tab does in a report with fields, as in PowerScribe. */
export const BUILT_IN_CHORDS: Readonly<Partial<Record<ShortcutAction, readonly KeyChord[]>>> = {
  nextField: ['Tab'],
  previousField: ['Shift+Tab'],
}

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

/** The chord for a key event, or null for a key no chord can name (a modifier alone, arrows, …). */
export function chordOf(event: Readonly<KeyEventLike>): KeyChord | null {
  const key = chordKey(event)
  if (key === null) return null
  const modifiers: Modifier[] = []
  if (event.ctrlKey) modifiers.push('Ctrl')
  if (event.altKey) modifiers.push('Alt')
  if (event.shiftKey) modifiers.push('Shift')
  if (event.metaKey) modifiers.push('Meta')
  const chord = [...modifiers, key].join('+')
  return KeyChordSchema.safeParse(chord).success ? chord : null
}

/** A chord as settings may spell it (`Shift+Ctrl+f9`) in the one spelling chordOf gives. */
export function normalizeChord(chord: string): KeyChord | null {
  const parts = chord.split('+').map((part) => part.trim())
  const key = parts.pop()
  if (key === undefined || key === '') return null
  const modifiers = new Set(
    parts.map((part) => MODIFIER_ORDER.find((m) => m.toLowerCase() === part.toLowerCase())),
  )
  if (modifiers.has(undefined)) return null
  const ordered = MODIFIER_ORDER.filter((modifier) => modifiers.has(modifier))
  const spelled = key.length === 1 ? key.toUpperCase() : (namedKey(key) ?? key)
  const normalized = [...ordered, spelled].join('+')
  return KeyChordSchema.safeParse(normalized).success ? normalized : null
}

/** The action the chord triggers: the person's shortcuts first, then the built-in ones; null if none. */
export function actionForChord(chord: KeyChord, shortcuts: Readonly<Shortcuts>): ShortcutAction | null {
  const wanted = normalizeChord(chord)
  if (wanted === null) return null
  const matches = (chords: readonly string[] | undefined) =>
    chords?.some((candidate) => normalizeChord(candidate) === wanted) ?? false
  const actions = ShortcutActionSchema.options
  return (
    actions.find((action) => matches(shortcuts[action])) ??
    actions.find((action) => matches(BUILT_IN_CHORDS[action])) ??
    null
  )
}

/** The action for a key event (chordOf then actionForChord); null when it triggers none. */
export function actionForKeyEvent(
  event: Readonly<KeyEventLike>,
  shortcuts: Readonly<Shortcuts>,
): ShortcutAction | null {
  const chord = chordOf(event)
  return chord === null ? null : actionForChord(chord, shortcuts)
}

function chordKey(event: Readonly<KeyEventLike>): string | null {
  const code = event.code ?? ''
  const fromCode = /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(code)
  if (fromCode !== null) return fromCode[1] ?? fromCode[2] ?? fromCode[3] ?? null
  if (/^[A-Za-z0-9]$/.test(event.key)) return event.key.toUpperCase()
  if (/^F(?:[1-9]|1[0-9]|2[0-4])$/.test(event.key)) return event.key
  return namedKey(event.key)
}

function namedKey(key: string): string | null {
  const exact = NAMED_KEYS[key]
  if (exact !== undefined) return exact
  const lower = key.toLowerCase()
  const found = Object.values(NAMED_KEYS).find((name) => name.toLowerCase() === lower)
  if (found !== undefined) return found
  return /^f(?:[1-9]|1[0-9]|2[0-4])$/.test(lower) ? lower.toUpperCase() : null
}

/**
 * The chords as `aria-keyshortcuts` spells them (ARIA names the modifier `Control`; alternatives are
 * separated by spaces), so assistive tech announces the chords the person set, not the defaults.
 */
export function ariaKeyShortcuts(chords: readonly KeyChord[]): string | undefined {
  if (chords.length === 0) return undefined
  return chords.map((chord) => chord.replace(/(^|\+)Ctrl(?=\+)/g, '$1Control')).join(' ')
}
