/**
 * The one way the editor changes the report text after mount: as if the person had typed it. The
 * browser's `insertText` command replaces the selection, puts one step on the textarea's own undo
 * stack (Ctrl+Z takes a macro or template back) and fires `input` like typing does — assigning
 * `.value` would wipe the undo history and move the caret (lessons: dictation-friendly editing).
 *
 * jsdom has no editing commands, so DOM tests back this with a faithful fake through
 * `setTextInserterForTests`; the real command is proven in Chromium (test/e2e/editor.test.ts).
 */
export type TextInserter = (field: HTMLTextAreaElement, text: string) => void

const execCommandInserter: TextInserter = (field, text) => {
  field.focus()
  // `execCommand` is deprecated as an API but is still the only way to insert into a text field
  // with undo; Chromium supports it on textareas.
  if (document.execCommand('insertText', false, text)) return
  // Never lose the words: where the command is refused, insert without undo, and say so as typing would.
  field.setRangeText(text, field.selectionStart, field.selectionEnd, 'end')
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }))
}

let inserter: TextInserter = execCommandInserter

/** Replaces `field`'s selection with `text`, undoably. */
export function insertText(field: HTMLTextAreaElement, text: string): void {
  inserter(field, text)
}

/** Replaces the range `start`..`end` (e.g. a typed macro shortcut) with `text`, undoably. */
export function replaceRange(field: HTMLTextAreaElement, start: number, end: number, text: string): void {
  field.setSelectionRange(start, end)
  inserter(field, text)
}

/** Tests only: null restores the browser's command. */
export function setTextInserterForTests(fake: TextInserter | null): void {
  inserter = fake ?? execCommandInserter
}
