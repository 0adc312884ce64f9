import { expect } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import { createElement } from 'react'
import type { ApiMethods, AppointmentView } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { loadDraft } from '../../src-renderer/src/db/drafts'
import { setTextInserterForTests } from '../../src-renderer/src/features/editor/text-insert'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
import { installFakeBridge } from './fake-bridge'
import { appointment, worklistMethods } from './fixtures'

/**
 * A fake patient for the editor tests, with a study no starter template is for (so the report starts
 * blank); CT_HEAD_VIEW is the same patient's CT head, which starts from the CT head template.
 */
export const EDITOR_VIEW: AppointmentView = appointment({
  appointmentId: 'A9',
  lastName: 'Testpatient',
  firstName: 'Bea',
  patientName: 'Testpatient, Bea',
  gender: 'F',
  modality: 'NM',
  studyDescription: 'NM Whole body bone scan',
})
export const CT_HEAD_VIEW: AppointmentView = { ...EDITOR_VIEW, modality: 'CT', studyDescription: 'CT Head' }

const valueOf = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!

/**
 * What the person does in the field, as the browser does it: the text changes from inside (not
 * through the element's `value` property, which scripts use) and `input` fires.
 */
export function typeAtCaret(field: HTMLTextAreaElement, text: string) {
  const start = field.selectionStart
  const end = field.selectionEnd
  const before = valueOf.get!.call(field) as string
  valueOf.set!.call(field, before.slice(0, start) + text + before.slice(end))
  field.setSelectionRange(start + text.length, start + text.length)
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }))
}

/**
 * A faithful stand-in for Chromium's `insertText` on a textarea (jsdom has none): it replaces the
 * selection, leaves the caret after the insert, fires `input`, and puts one step on the field's undo
 * stack. Like Chromium, any script assignment of `.value` clears that stack — so a test that undoes
 * after an insert fails if the editor wrote `.value` in between. `scriptWrites` counts those writes.
 */
export function installFakeEditing() {
  const stacks = new WeakMap<HTMLTextAreaElement, { value: string; start: number; end: number }[]>()
  let scriptWrites = 0
  const watch = (field: HTMLTextAreaElement) => {
    if (stacks.has(field)) return stacks.get(field)!
    const stack: { value: string; start: number; end: number }[] = []
    stacks.set(field, stack)
    Object.defineProperty(field, 'value', {
      configurable: true,
      get: () => valueOf.get!.call(field) as string,
      set: (v: string) => {
        scriptWrites += 1
        stack.length = 0
        valueOf.set!.call(field, v)
      },
    })
    return stack
  }
  setTextInserterForTests((field, text) => {
    const stack = watch(field)
    const before = valueOf.get!.call(field) as string
    const { selectionStart: start, selectionEnd: end } = field
    stack.push({ value: before, start, end })
    valueOf.set!.call(field, before.slice(0, start) + text + before.slice(end))
    field.setSelectionRange(start + text.length, start + text.length)
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }))
  })
  return {
    /** Starts counting script writes of `.value` on this field from now on. */
    watch: (field: HTMLTextAreaElement) => void watch(field),
    get scriptWrites() {
      return scriptWrites
    },
    /** Ctrl+Z as Chromium does it: the last insert taken back, `input` fired. */
    undo(field: HTMLTextAreaElement) {
      const step = stacks.get(field)?.pop()
      if (!step) return false
      valueOf.set!.call(field, step.value)
      field.setSelectionRange(step.start, step.end)
      field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'historyUndo' }))
      return true
    },
    restore: () => setTextInserterForTests(null),
  }
}

export interface OpenedEditor {
  readonly db: ReporterDatabase
  readonly field: HTMLTextAreaElement
  unmount(): void
}

/** The app on the fake bridge, opened at `view`, once its report field is on screen. */
export async function openEditor(
  options: Readonly<{
    db?: ReporterDatabase
    view?: AppointmentView
    methods?: Partial<ApiMethods>
  }> = {},
): Promise<OpenedEditor & { fake: ReturnType<typeof installFakeBridge> }> {
  const db = options.db ?? new ReporterDatabase(`test-${crypto.randomUUID()}`)
  const view = options.view ?? EDITOR_VIEW
  const fake = installFakeBridge({
    ...worklistMethods(() => [view]),
    getAppointment: async () => view,
    listComments: async () => [],
    listAttachments: async () => [],
    ...options.methods,
  })
  const { unmount } = render(createElement(AppShell, { db }))
  await waitFor(() => expect(useShellStore.getState().session).not.toBeNull())
  useShellStore
    .getState()
    .navigate({ screen: 'appointment', domain: view.domain, appointmentId: view.appointmentId })
  const field = (await screen.findByRole('textbox', { name: 'Report text' })) as HTMLTextAreaElement
  return { db, field, unmount, fake }
}

/** The draft as stored, opened with the session the shell uses. */
export async function storedDraft(view: AppointmentView = EDITOR_VIEW) {
  const session = useShellStore.getState().session
  if (!session) throw new Error('no session')
  return loadDraft(session, view.domain, view.appointmentId)
}
