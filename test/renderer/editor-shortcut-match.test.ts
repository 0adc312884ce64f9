import { describe, expect, it } from 'vitest'
import { press } from './key-press'
import { KeyChordSchema, SettingsSchema } from '../../src-preload/contract'
import {
  actionForChord,
  actionForKeyEvent,
  chordOf,
  normalizeChord,
} from '../../src-renderer/src/features/editor/shortcut-match'

const shortcuts = SettingsSchema.parse({}).shortcuts

describe('editor shortcut match', () => {
  it('spells a key event as the settings’ KeyChord, modifiers in one order', () => {
    expect(chordOf(press('F9', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+F9')
    expect(chordOf(press('p', { shiftKey: true, ctrlKey: true, code: 'KeyP' }))).toBe('Ctrl+Shift+P')
    expect(chordOf(press('!', { shiftKey: true, code: 'Digit1' }))).toBe('Shift+1')
    expect(chordOf(press('å', { altKey: true, code: 'KeyA' }))).toBe('Alt+A')
    expect(chordOf(press(' ', { metaKey: true, code: 'Space' }))).toBe('Meta+Space')
    expect(chordOf(press('Tab', { shiftKey: true }))).toBe('Shift+Tab')
    expect(chordOf(press('7', { code: 'Numpad7' }))).toBe('7')
    for (const chord of ['Ctrl+Shift+F9', 'Shift+1', 'Alt+A', 'Meta+Space', 'Shift+Tab']) {
      expect(KeyChordSchema.safeParse(chord).success).toBe(true)
    }
  })

  it('names no chord for a modifier alone or a key chords cannot name', () => {
    expect(chordOf(press('Control', { ctrlKey: true, code: 'ControlLeft' }))).toBeNull()
    expect(chordOf(press('Shift', { shiftKey: true }))).toBeNull()
    expect(chordOf(press('ArrowDown'))).toBeNull()
    expect(chordOf(press('Dead'))).toBeNull()
  })

  it('normalises a chord as a person may have written it', () => {
    expect(normalizeChord('Shift+Ctrl+f9')).toBe('Ctrl+Shift+F9')
    expect(normalizeChord('ctrl+shift+p')).toBe('Ctrl+Shift+P')
    expect(normalizeChord('Hyper+P')).toBeNull()
    expect(normalizeChord('')).toBeNull()
  })

  it('finds the action in the settings’ shortcuts, then in the built-in Tab / Shift+Tab', () => {
    expect(actionForChord('F2', shortcuts)).toBe('nextField')
    expect(actionForChord('Shift+F2', shortcuts)).toBe('previousField')
    expect(actionForChord('Ctrl+Shift+F', shortcuts)).toBe('submitFinal')
    expect(actionForChord('Tab', shortcuts)).toBe('nextField')
    expect(actionForChord('Shift+Tab', shortcuts)).toBe('previousField')
    expect(actionForChord('Ctrl+Q', shortcuts)).toBeNull()
    const custom = { ...shortcuts, submitPreliminary: ['Shift+Ctrl+F9'] }
    expect(actionForKeyEvent(press('F9', { ctrlKey: true, shiftKey: true }), custom)).toBe(
      'submitPreliminary',
    )
    expect(actionForKeyEvent(press('n', { ctrlKey: true, shiftKey: true, code: 'KeyN' }), custom)).toBe(
      'nextCase',
    )
    expect(actionForKeyEvent(press('Shift', { shiftKey: true }), custom)).toBeNull()
  })

  it('lets the person take Tab for another action before the built-in one', () => {
    expect(actionForChord('Tab', { ...shortcuts, nextCase: ['Tab'] })).toBe('nextCase')
  })
})
