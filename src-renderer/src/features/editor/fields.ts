/**
 * `[bracketed]` fill-in fields, as PowerScribe users know them: Tab / F2 selects the next one so that
 * dictation or typing replaces it, Shift+Tab / Shift+F2 the previous one, wrapping at either end. A
 * field is `[` … `]` on one line, without brackets inside, at most MAX_FIELD_LABEL characters between
 * them (a longer run is prose in brackets, not a field). `[ ]` is a field too (a blank to fill).
 * Offsets are UTF-16 indexes, as a textarea's `selectionStart` / `selectionEnd` are.
 */
export const MAX_FIELD_LABEL = 200

export interface FieldRange {
  /** Index of `[`. */
  readonly start: number
  /** Index just after `]`: `text.slice(start, end)` is the whole field. */
  readonly end: number
  /** The words between the brackets, trimmed ('' for `[ ]`). */
  readonly label: string
}

const FIELD_PATTERN = new RegExp(`\\[[^\\[\\]\\r\\n]{0,${MAX_FIELD_LABEL}}\\]`, 'g')

/** Every field in the text, in order. */
export function findFields(text: string): FieldRange[] {
  const fields: FieldRange[] = []
  for (const match of text.matchAll(FIELD_PATTERN)) {
    const start = match.index
    fields.push({ start, end: start + match[0].length, label: match[0].slice(1, -1).trim() })
  }
  return fields
}

/**
 * The field Tab selects: the first that starts at or after the selection's end (so a selected field
 * moves on to the next, and a caret just before `[` selects that field), else the first (wrapping).
 * Null when the text has no field.
 */
export function nextField(
  text: string,
  selectionStart: number,
  selectionEnd = selectionStart,
): FieldRange | null {
  const fields = findFields(text)
  const from = Math.max(selectionStart, selectionEnd)
  return fields.find((field) => field.start >= from) ?? fields[0] ?? null
}

/**
 * The field Shift+Tab selects: the last that ends at or before the selection's start (a caret just
 * after `]` selects that field), else the last (wrapping). Null when the text has no field.
 */
export function previousField(
  text: string,
  selectionStart: number,
  selectionEnd = selectionStart,
): FieldRange | null {
  const fields = findFields(text)
  const from = Math.min(selectionStart, selectionEnd)
  return fields.findLast((field) => field.end <= from) ?? fields.at(-1) ?? null
}

/** The fields still in the text: every bracketed field is one not yet filled in. */
export function unfilledFields(text: string): FieldRange[] {
  return findFields(text)
}
