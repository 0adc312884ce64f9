import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { press } from './key-press'
import { SettingsSchema, ShortcutActionSchema } from '../../src-preload/contract'
import { actionForKeyEvent } from '../../src-renderer/src/features/editor/shortcut-match'
import { chordOf } from '../../src-renderer/src/ui/key-chord'

const defaults = SettingsSchema.parse({}).shortcuts
const noShortcuts = Object.fromEntries(
  Object.keys(defaults).map((action) => [action, []]),
) as unknown as typeof defaults

const KEYS = [
  'a',
  'Z',
  '7',
  '!',
  'å',
  ' ',
  'Spacebar',
  'F9',
  'F24',
  'PageUp',
  'Enter',
  'ArrowDown',
  'Dead',
  'Escape',
]
const CODES = [undefined, 'KeyA', 'KeyZ', 'Digit1', 'Numpad7', 'Space', 'F9', 'ControlLeft', '']
const keyEvent = fc.record({
  key: fc.constantFrom(...KEYS),
  code: fc.constantFrom(...CODES),
  ctrlKey: fc.boolean(),
  altKey: fc.boolean(),
  shiftKey: fc.boolean(),
  metaKey: fc.boolean(),
})

describe('key chords: the one reader Settings captures with and the editor matches with', () => {
  it('a chord captured in Settings from a key press triggers its action when the same press reaches the report', () => {
    fc.assert(
      fc.property(keyEvent, fc.constantFrom(...ShortcutActionSchema.options), (event, action) => {
        const captured = chordOf(event)
        if (captured.kind !== 'chord') return
        const shortcuts = { ...noShortcuts, [action]: [captured.chord] }
        expect(actionForKeyEvent(event, shortcuts)).toBe(action)
      }),
    )
  })

  it('a press the report would act on can be captured in Settings (no chord only one side can read)', () => {
    fc.assert(
      fc.property(keyEvent, (event) => {
        if (actionForKeyEvent(event, defaults) === null) return
        expect(chordOf(event).kind).toBe('chord')
      }),
    )
  })

  it('captures letters from a press that carries no code, and the Spacebar key name of older drivers', () => {
    expect(chordOf(press('a', { ctrlKey: true }))).toEqual({ kind: 'chord', chord: 'Ctrl+A' })
    expect(chordOf(press('Spacebar', { ctrlKey: true }))).toEqual({ kind: 'chord', chord: 'Ctrl+Space' })
    expect(chordOf(press('Shift', { shiftKey: true }))).toEqual({ kind: 'waiting' })
    expect(chordOf(press('ArrowDown'))).toEqual({ kind: 'unsupported', key: 'ArrowDown' })
  })
})
