import type { ReportMacro } from '../../../../src-preload/contract'
import { findFields } from './fields'

/**
 * Macros: a shortcut typed in the report (`.normchest`), then Space or Tab, is replaced by the
 * macro's text; the picker inserts the same text at the caret. The shortcut must stand as its own
 * word (at the start of the text or after white space or an opening bracket), so "the end.nad" is a
 * sentence, not a macro. Matching ignores case: dictation software capitalises after a full stop.
 */
export interface MacroMatch {
  readonly macro: ReportMacro
  /** Where the typed shortcut begins. */
  readonly start: number
  /** The caret, just after the shortcut. */
  readonly end: number
}

export interface MacroExpansion {
  /** Replace `text.slice(start, end)` (the typed shortcut, or the selection for the picker)… */
  readonly start: number
  readonly end: number
  /** …with this, through `execCommand('insertText')` so undo and `input` events survive… */
  readonly insertText: string
  /** …then select this range (offsets in the text after the insert): its first field, or the caret after it. */
  readonly selectionStart: number
  readonly selectionEnd: number
}

/** The longest shortcut the settings schema allows (`.` or `;` and up to 31 more characters). */
const MAX_SHORTCUT_LENGTH = 32
const SHORTCUT_TAIL = /[.;][A-Za-z0-9-]+$/
const WORD_BEFORE = /[\s([{"'“‘]/

/** The macro whose shortcut ends at the caret, or null. */
export function matchMacroBeforeCaret(
  text: string,
  caret: number,
  macros: readonly ReportMacro[],
): MacroMatch | null {
  if (caret <= 0 || caret > text.length) return null
  const windowStart = Math.max(0, caret - MAX_SHORTCUT_LENGTH)
  const tail = SHORTCUT_TAIL.exec(text.slice(windowStart, caret))
  if (tail === null) return null
  const start = windowStart + tail.index
  // Only the last `.`/`;` run counts ("a.b.nad" ends in ".nad", which is not its own word).
  if (start > 0 && !WORD_BEFORE.test(text.charAt(start - 1))) return null
  const macro = findMacroByShortcut(macros, tail[0])
  return macro === null ? null : { macro, start, end: caret }
}

export function findMacroByShortcut(macros: readonly ReportMacro[], shortcut: string): ReportMacro | null {
  const wanted = shortcut.toLowerCase()
  return macros.find((macro) => macro.shortcut.toLowerCase() === wanted) ?? null
}

/**
 * What to insert for a macro over `start`–`end` (a typed shortcut, or the selection when picked):
 * the macro's text as written, then the first `[field]` in it selected, so the next words dictated
 * fill it; without a field, the caret goes after the inserted text.
 */
export function macroExpansion(macro: ReportMacro, start: number, end: number): MacroExpansion {
  const insertText = macro.text
  const field = findFields(insertText)[0]
  if (field === undefined) {
    const after = start + insertText.length
    return { start, end, insertText, selectionStart: after, selectionEnd: after }
  }
  return { start, end, insertText, selectionStart: start + field.start, selectionEnd: start + field.end }
}

/** The picker's list: macros whose name or shortcut contains the query (ignoring case), by name. */
export function filterMacros(macros: readonly ReportMacro[], query: string): ReportMacro[] {
  const wanted = query.trim().toLowerCase()
  return macros
    .filter(
      (macro) =>
        wanted === '' ||
        macro.name.toLowerCase().includes(wanted) ||
        macro.shortcut.toLowerCase().includes(wanted),
    )
    .toSorted((a, b) => a.name.localeCompare(b.name))
}
