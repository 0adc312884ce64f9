import type { ReportStatus } from '../../../../src-preload/contract'
import type { Shortcuts } from '../../../../src-preload/contract/settings-schemas'

export interface EditorKeyContext {
  readonly shortcuts: Shortcuts
  announce(message: string): void
  askSubmit(status: ReportStatus): void
}

/**
 * The report field's own keys; answers true when it acted (the caller then prevents the default).
 * Never called during an IME composition.
 */
export function editorKeyAction(
  _event: KeyboardEvent,
  _field: HTMLTextAreaElement,
  _context: EditorKeyContext,
): boolean {
  return false
}
