/** Every keyboard shortcut, in one list, so the help overlay can never fall out of date. */
export const SHORTCUTS: readonly { readonly keys: readonly string[]; readonly what: string }[] = [
  { keys: ['↑', '↓'], what: 'Move through the worklist' },
  { keys: ['Page Up', 'Page Down', 'Home', 'End'], what: 'Jump through the worklist' },
  { keys: ['Enter'], what: 'Open the selected appointment' },
  { keys: ['/'], what: 'Filter the worklist' },
  { keys: ['N'], what: 'Next case: open the most urgent appointment not yet reported (within the filters)' },
  { keys: ['R'], what: 'Refresh the worklist' },
  { keys: ['O'], what: 'Show the outbox' },
  { keys: ['W'], what: 'Back to the worklist' },
  { keys: ['S', 'Ctrl ,'], what: 'Settings' },
  { keys: ['Escape'], what: 'Close this help, leave the filter, or go back' },
  { keys: ['T'], what: 'Switch dark / light theme' },
  { keys: ['Ctrl =', 'Ctrl −', 'Ctrl 0'], what: 'Zoom in / out / reset' },
  { keys: ['Page Down', 'Page Up', '→', '←'], what: 'PDF: next / previous page' },
  { keys: ['Home', 'End'], what: 'PDF: first / last page' },
  { keys: ['Ctrl =', 'Ctrl −', 'Ctrl 0'], what: 'PDF (when it has the focus): zoom in / out / fit width' },
  { keys: ['E'], what: 'Appointment: put the caret in the report (where the draft left it)' },
  { keys: ['Tab', 'F2'], what: 'Report: select the next [field], so dictation replaces it' },
  { keys: ['Shift Tab', 'Shift F2'], what: 'Report: select the previous [field]' },
  { keys: ['.shortcut Space'], what: 'Report: expand a macro typed by its shortcut (e.g. .nad)' },
  { keys: ['Ctrl Shift P'], what: 'Report: submit preliminary (microphone button; chords in Settings)' },
  { keys: ['Ctrl Shift F'], what: 'Report: submit final (microphone button; chords in Settings)' },
  { keys: ['Ctrl Shift N'], what: 'Next case, also from inside the report (microphone button)' },
  { keys: ['?'], what: 'Show this help' },
  { keys: ['Ctrl L'], what: 'Lock the screen (hides every patient detail until you are back)' },
]

/** True when the key press is meant for a text field, not for a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}
