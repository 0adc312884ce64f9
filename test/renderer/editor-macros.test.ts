import { describe, expect, it } from 'vitest'
import type { ReportMacro } from '../../src-preload/contract'
import {
  filterMacros,
  findMacroByShortcut,
  macroExpansion,
  matchMacroBeforeCaret,
} from '../../src-renderer/src/features/editor/macros'

const macros: ReportMacro[] = [
  { id: 'nad', name: 'No acute abnormality', shortcut: '.nad', text: 'No acute abnormality.' },
  { id: 'nodule', name: 'Nodule', shortcut: '.nodule', text: 'A [size] mm nodule in the [lobe].' },
  { id: 'comm', name: 'Communicated', shortcut: ';comm', text: 'Discussed with [name].' },
]

describe('editor macros', () => {
  it('matches a shortcut typed as its own word just before the caret, ignoring case', () => {
    expect(matchMacroBeforeCaret('.nad', 4, macros)).toMatchObject({ macro: { id: 'nad' }, start: 0, end: 4 })
    expect(matchMacroBeforeCaret('Lungs clear. .Nad', 17, macros)).toMatchObject({ start: 13, end: 17 })
    expect(matchMacroBeforeCaret('See (;comm', 10, macros)).toMatchObject({ macro: { id: 'comm' }, start: 5 })
    expect(matchMacroBeforeCaret('x\n.nodule more', 9, macros)).toMatchObject({
      macro: { id: 'nodule' },
      start: 2,
    })
  })

  it('does not match inside a word, an unknown shortcut, or away from the caret', () => {
    expect(matchMacroBeforeCaret('the end.nad', 11, macros)).toBeNull()
    expect(matchMacroBeforeCaret('a.b.nad', 7, macros)).toBeNull()
    expect(matchMacroBeforeCaret('.nope', 5, macros)).toBeNull()
    expect(matchMacroBeforeCaret('.nad ', 5, macros)).toBeNull()
    expect(matchMacroBeforeCaret('.nad', 3, macros)).toBeNull()
    expect(matchMacroBeforeCaret('', 0, macros)).toBeNull()
  })

  it('expands to the macro text and selects its first field, or puts the caret after it', () => {
    const nodule = findMacroByShortcut(macros, '.NODULE')!
    expect(macroExpansion(nodule, 10, 17)).toEqual({
      start: 10,
      end: 17,
      insertText: 'A [size] mm nodule in the [lobe].',
      selectionStart: 12,
      selectionEnd: 18,
    })
    const nad = findMacroByShortcut(macros, '.nad')!
    expect(macroExpansion(nad, 0, 4)).toMatchObject({ selectionStart: 21, selectionEnd: 21 })
  })

  it('filters the picker by name or shortcut, sorted by name', () => {
    expect(filterMacros(macros, 'NO').map((m) => m.id)).toEqual(['nad', 'nodule'])
    expect(filterMacros(macros, ';co').map((m) => m.id)).toEqual(['comm'])
    expect(filterMacros(macros, '  ').map((m) => m.id)).toEqual(['comm', 'nad', 'nodule'])
  })
})
