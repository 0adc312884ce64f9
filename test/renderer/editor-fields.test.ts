import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  findFields,
  nextField,
  previousField,
  unfilledFields,
} from '../../src-renderer/src/features/editor/fields'

const text = 'Side: [side]. Size [size] mm.\nImpression: [ ]'

describe('editor fields', () => {
  it('finds [bracketed] fields on one line, with their labels', () => {
    expect(findFields(text)).toEqual([
      { start: 6, end: 12, label: 'side' },
      { start: 19, end: 25, label: 'size' },
      { start: 42, end: 45, label: '' },
    ])
    // Not fields: brackets across lines, nested brackets, a run too long to be a field.
    expect(findFields('[a\nb] [x [y] z] [' + 'w'.repeat(201) + ']')).toEqual([
      { start: 9, end: 12, label: 'y' },
    ])
  })

  it('Tab selects the next field from the caret, moves on from a selected field, and wraps', () => {
    expect(nextField(text, 0)).toMatchObject({ start: 6, end: 12 })
    expect(nextField(text, 6)).toMatchObject({ start: 6 })
    expect(nextField(text, 6, 12)).toMatchObject({ start: 19, end: 25 })
    expect(nextField(text, 8)).toMatchObject({ start: 19 })
    expect(nextField(text, 42, 45)).toMatchObject({ start: 6 })
    expect(nextField(text, text.length)).toMatchObject({ start: 6 })
  })

  it('Shift+Tab selects the previous field, from a caret just after ] too, and wraps', () => {
    expect(previousField(text, 19, 25)).toMatchObject({ start: 6, end: 12 })
    expect(previousField(text, 12)).toMatchObject({ start: 6 })
    expect(previousField(text, 30)).toMatchObject({ start: 19 })
    expect(previousField(text, 6, 12)).toMatchObject({ start: 42, end: 45 })
    expect(previousField(text, 0)).toMatchObject({ start: 42 })
  })

  it('answers null in a text without fields, and lists every unfilled field', () => {
    expect(nextField('No acute abnormality.', 3)).toBeNull()
    expect(previousField('', 0)).toBeNull()
    expect(unfilledFields(text).map((field) => field.label)).toEqual(['side', 'size', ''])
  })

  it('never leaves the text: a found field is always a whole [..] inside it', () => {
    const arbitraryText = fc.string({ unit: fc.constantFrom('[', ']', 'a', ' ', '\n', 'é'), maxLength: 80 })
    fc.assert(
      fc.property(arbitraryText, fc.nat(), fc.nat(), (value, a, b) => {
        const start = value.length === 0 ? 0 : a % (value.length + 1)
        const end = value.length === 0 ? 0 : b % (value.length + 1)
        for (const field of [nextField(value, start, end), previousField(value, start, end)]) {
          if (field === null) {
            expect(findFields(value)).toEqual([])
            continue
          }
          expect(field.start).toBeGreaterThanOrEqual(0)
          expect(field.end).toBeLessThanOrEqual(value.length)
          expect(value[field.start]).toBe('[')
          expect(value[field.end - 1]).toBe(']')
        }
      }),
      { numRuns: 500 },
    )
  })
})
