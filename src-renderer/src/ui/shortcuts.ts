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
  { keys: ['?'], what: 'Show this help' },
]

/** True when the key press is meant for a text field, not for a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}
