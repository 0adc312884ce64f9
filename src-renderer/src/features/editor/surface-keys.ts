import type { ReportMacro, ReportStatus, Shortcuts } from '../../../../src-preload/contract'
import { nextField, previousField } from './fields'
import { macroExpansion, matchMacroBeforeCaret, type MacroExpansion } from './macros'
import { actionForKeyEvent, chordOf } from './shortcut-match'
import { replaceRange } from './text-insert'

export interface EditorKeyContext {
  readonly shortcuts: Shortcuts
  readonly macros: readonly ReportMacro[]
  announce(message: string): void
  askSubmit(status: ReportStatus): void
}

/**
 * The report field's own keys; answers true when it acted (the caller then prevents the default).
 * Never called during an IME composition.
 *
 * - A macro shortcut just before the caret, then Space or Tab: replaced by the macro (one undo step).
 * - Tab / Shift+Tab select the next / previous `[field]` (wrapping), so dictation replaces it. With
 *   no field left in the report, Tab moves the focus on as in any form (to the Submit buttons): the
 *   report is finished and a keyboard user is never trapped in the field.
 * - F2 / Shift+F2 and the microphone chords in settings.shortcuts never move the focus: with no field
 *   left they only say so, so a dictation button pressed once too often cannot send the next words
 *   into a button.
 * - The submit chords open the submit dialog. "Next case" is left to the shell, which acts on it
 *   anywhere.
 */
export function editorKeyAction(
  event: KeyboardEvent,
  field: HTMLTextAreaElement,
  context: EditorKeyContext,
): boolean {
  const chord = chordOf(event)
  if (!field.readOnly && (chord === 'Space' || chord === 'Tab') && expandMacro(field, context.macros))
    return true
  const action = actionForKeyEvent(event, context.shortcuts)
  switch (action) {
    case 'nextField':
    case 'previousField': {
      const find = action === 'nextField' ? nextField : previousField
      const found = find(field.value, field.selectionStart, field.selectionEnd)
      if (found) {
        field.setSelectionRange(found.start, found.end)
        context.announce(found.label ? `Field: ${found.label}` : 'Empty field')
        return true
      }
      if (chord === 'Tab' || chord === 'Shift+Tab') return false
      context.announce('No [fields] left in the report.')
      return true
    }
    case 'submitPreliminary':
      context.askSubmit('preliminary')
      return true
    case 'submitFinal':
      context.askSubmit('final')
      return true
    default:
      return false
  }
}

function expandMacro(field: HTMLTextAreaElement, macros: readonly ReportMacro[]): boolean {
  if (field.selectionStart !== field.selectionEnd) return false
  const match = matchMacroBeforeCaret(field.value, field.selectionStart, macros)
  if (!match) return false
  applyExpansion(field, macroExpansion(match.macro, match.start, match.end))
  return true
}

/** Inserts an expansion undoably and selects what it says (its first field, or the caret after it). */
export function applyExpansion(field: HTMLTextAreaElement, expansion: MacroExpansion): void {
  replaceRange(field, expansion.start, expansion.end, expansion.insertText)
  field.setSelectionRange(expansion.selectionStart, expansion.selectionEnd)
}
