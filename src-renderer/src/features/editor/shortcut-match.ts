import { chordOfEvent, MODIFIER_ORDER, namedKey, type KeyEventLike } from '../../ui/key-chord'
import {
  KeyChordSchema,
  ShortcutActionSchema,
  type KeyChord,
  type ShortcutAction,
  type Shortcuts,
} from '../../../../src-preload/contract'

/**
 * Dictation microphones' programmable buttons (PowerMic, SpeechMike) send key chords; so do people.
 * A key event becomes the settings' `KeyChord` spelling through the one reader Settings captures with
 * (`ui/key-chord`), and the chord's action is looked up in settings.shortcuts, then in the built-in
 * chords (Tab / Shift+Tab for fields).
 */
export { chordOfEvent as chordOf, type KeyEventLike } from '../../ui/key-chord'

/** On top of settings.shortcuts: what Tab does in a report with fields, as in PowerScribe. */
export const BUILT_IN_CHORDS: Readonly<Partial<Record<ShortcutAction, readonly KeyChord[]>>> = {
  nextField: ['Tab'],
  previousField: ['Shift+Tab'],
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
  const chord = chordOfEvent(event)
  return chord === null ? null : actionForChord(chord, shortcuts)
}

/**
 * The chords as `aria-keyshortcuts` spells them (ARIA names the modifier `Control`; alternatives are
 * separated by spaces), so assistive tech announces the chords the person set, not the defaults.
 */
export function ariaKeyShortcuts(chords: readonly KeyChord[]): string | undefined {
  if (chords.length === 0) return undefined
  return chords.map((chord) => chord.replace(/(^|\+)Ctrl(?=\+)/g, '$1Control')).join(' ')
}
