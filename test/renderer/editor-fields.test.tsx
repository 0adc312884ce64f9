import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, useSettingsStore } from '../../src-renderer/src/stores/settings-store'
import {
  CT_HEAD_VIEW,
  EDITOR_VIEW,
  installFakeEditing,
  openEditor,
  storedDraft,
  typeAtCaret,
} from './editor-fixtures'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
import { useWorklistStore } from '../../src-renderer/src/features/worklist'
import { worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

const CLINICIAN = { name: 'Dr Rae Diologist', providerNumber: '1234567A', email: '' }
const selected = (field: HTMLTextAreaElement) => field.value.slice(field.selectionStart, field.selectionEnd)

describe('templates, macros and [fields]', () => {
  useFreshStores()
  let editing: ReturnType<typeof installFakeEditing>
  beforeEach(() => {
    editing = installFakeEditing()
  })
  afterEach(() => editing.restore())

  it('starts an empty CT head from the CT head template with its first [field] selected', async () => {
    const { field } = await openEditor({ view: CT_HEAD_VIEW })
    expect(field.value).toMatch(/^CT HEAD WITHOUT CONTRAST/)
    expect(selected(field)).toBe('[clinical information]')
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Template' })).toHaveProperty('value', 'ct-head'),
    )
  })

  it('switches template from the picker, asking before it replaces text, and Ctrl+Z brings the text back', async () => {
    const { field } = await openEditor()
    editing.watch(field)
    typeAtCaret(field, 'My own words.')
    fireEvent.change(screen.getByRole('combobox', { name: 'Template' }), { target: { value: 'xr-chest' } })
    fireEvent.click(screen.getByRole('button', { name: 'Use template' }))
    const ask = screen.getByRole('alertdialog')
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep my text' }))
    expect(field.value).toBe('My own words.')
    fireEvent.click(screen.getByRole('button', { name: 'Use template' }))
    fireEvent.click(screen.getByRole('button', { name: 'Replace the text' }))
    expect(field.value).not.toContain('My own words.')
    expect(selected(field)).toMatch(/^\[.*\]$/)
    await waitFor(async () => expect((await storedDraft())?.content.templateId).toBe('xr-chest'))
    expect(editing.undo(field)).toBe(true)
    expect(field.value).toBe('My own words.')
    expect(editing.scriptWrites).toBe(0)
  })

  it('expands a typed macro shortcut on Space as one undoable insert, never mid-composition', async () => {
    const { field } = await openEditor()
    editing.watch(field)
    typeAtCaret(field, 'Findings: .nad')
    // Mid-composition (voice typing), Space is the IME's: nothing is expanded.
    fireEvent.compositionStart(field)
    expect(fireEvent.keyDown(field, { key: ' ', code: 'Space', isComposing: true })).toBe(true)
    fireEvent.compositionEnd(field)
    expect(field.value).toBe('Findings: .nad')
    expect(fireEvent.keyDown(field, { key: ' ', code: 'Space' })).toBe(false)
    expect(field.value).toBe('Findings: No acute abnormality.')
    expect(field.selectionStart).toBe(field.value.length)
    expect(editing.undo(field)).toBe(true)
    expect(field.value).toBe('Findings: .nad')
    expect(editing.scriptWrites).toBe(0)
  })

  it('inserts a macro from the picker at the caret and selects its first [field]', async () => {
    const { field } = await openEditor()
    typeAtCaret(field, 'Start. ')
    const option = screen.getByRole('option', { name: /\(\.comm\)/ }) as HTMLOptionElement
    fireEvent.change(screen.getByRole('combobox', { name: 'Macro' }), { target: { value: option.value } })
    fireEvent.click(screen.getByRole('button', { name: 'Insert macro' }))
    expect(field.value).toMatch(/^Start\. This result was communicated to \[name\]/)
    expect(selected(field)).toBe('[name]')
  })

  it('Tab / Shift+Tab, F2 / Shift+F2 and the microphone chords select the next / previous [field]; Tab with none left moves on, F2 stays', async () => {
    useSettingsStore.setState({
      settings: {
        ...DEFAULT_SETTINGS,
        shortcuts: { ...DEFAULT_SETTINGS.shortcuts, nextField: ['F2', 'Ctrl+Alt+F9'] },
      },
    })
    const { field } = await openEditor()
    typeAtCaret(field, 'Size [size] at [site], [comparison].')
    field.setSelectionRange(0, 0)
    expect(fireEvent.keyDown(field, { key: 'Tab', code: 'Tab' })).toBe(false)
    expect(selected(field)).toBe('[size]')
    fireEvent.keyDown(field, { key: 'F2', code: 'F2' })
    expect(selected(field)).toBe('[site]')
    fireEvent.keyDown(field, { key: 'F9', code: 'F9', ctrlKey: true, altKey: true })
    expect(selected(field)).toBe('[comparison]')
    fireEvent.keyDown(field, { key: 'Tab', code: 'Tab', shiftKey: true })
    expect(selected(field)).toBe('[site]')
    fireEvent.keyDown(field, { key: 'F2', code: 'F2', shiftKey: true })
    expect(selected(field)).toBe('[size]')
    // Dictation replaces the selected field.
    typeAtCaret(field, '12 mm')
    expect(field.value).toBe('Size 12 mm at [site], [comparison].')

    field.setSelectionRange(0, field.value.length)
    typeAtCaret(field, 'No fields here.')
    expect(fireEvent.keyDown(field, { key: 'Tab', code: 'Tab' })).toBe(true)
    expect(fireEvent.keyDown(field, { key: 'F2', code: 'F2' })).toBe(false)
    expect(screen.getByText('No [fields] left in the report.')).toBeTruthy()
  })

  it('the submit chords open the submit dialog from the report field', async () => {
    const { field } = await openEditor()
    typeAtCaret(field, 'Report.')
    expect(fireEvent.keyDown(field, { key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true })).toBe(false)
    expect(await screen.findByRole('dialog', { name: /preliminary/ })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Back to the report' }))
    fireEvent.keyDown(field, { key: 'F', code: 'KeyF', ctrlKey: true, shiftKey: true })
    expect(await screen.findByRole('dialog', { name: /final/ })).toBeTruthy()
  })
})

describe('pre-submit checks', () => {
  useFreshStores()

  async function ask(text: string, status: 'preliminary' | 'final', view = EDITOR_VIEW) {
    const { field } = await openEditor({ view, methods: { listOutbox: async () => [] } })
    act(() => useSettingsStore.setState({ settings: { ...DEFAULT_SETTINGS, clinician: CLINICIAN } }))
    // Whatever template it started from is replaced by the text under test.
    field.setSelectionRange(0, field.value.length)
    typeAtCaret(field, text)
    fireEvent.click(
      screen.getByRole('button', { name: status === 'final' ? 'Submit final' : 'Submit preliminary' }),
    )
    return screen.findByRole('dialog')
  }
  const send = (dialog: HTMLElement) =>
    within(dialog).getByRole('button', { name: /^Send/ }) as HTMLButtonElement

  it('blocks an empty report, explained', async () => {
    const dialog = await ask('', 'preliminary')
    expect(within(dialog).getByText(/Blocks sending: The report is empty/)).toBeTruthy()
    expect(within(dialog).getByText(/Write or dictate the report/)).toBeTruthy()
    expect(send(dialog).disabled).toBe(true)
  })

  it('blocks a final with unfilled [fields]; a preliminary only warns, to be confirmed', async () => {
    const final = await ask('Size [size].', 'final')
    expect(within(final).getByText(/Blocks sending: Unfilled \[fields\]/)).toBeTruthy()
    expect(send(final).disabled).toBe(true)
    fireEvent.click(within(final).getByRole('button', { name: 'Back to the report' }))
    fireEvent.click(screen.getByRole('button', { name: 'Submit preliminary' }))
    const preliminary = await screen.findByRole('dialog')
    expect(send(preliminary).disabled).toBe(true)
    fireEvent.click(within(preliminary).getByRole('checkbox'))
    expect(send(preliminary).disabled).toBe(false)
  })

  it('warns, one confirmation each, when left/right contradicts the study and a word does not fit the sex', async () => {
    const view = { ...EDITOR_VIEW, modality: 'XR', studyDescription: 'XR LEFT KNEE', gender: 'M' }
    const dialog = await ask('Right knee effusion. The uterus is normal.', 'preliminary', view)
    const boxes = within(dialog).getAllByRole('checkbox')
    expect(boxes).toHaveLength(2)
    expect(within(dialog).getByText(/Left \/ right does not match the study/)).toBeTruthy()
    expect(within(dialog).getByText(/do not fit the patient's sex/)).toBeTruthy()
    fireEvent.click(boxes[0]!)
    expect(send(dialog).disabled).toBe(true)
    fireEvent.click(boxes[1]!)
    expect(send(dialog).disabled).toBe(false)
  })

  it('blocks a final without the clinician details, and says where to add them', async () => {
    await openEditor()
    const field = screen.getByRole('textbox', { name: 'Report text' }) as HTMLTextAreaElement
    typeAtCaret(field, 'Normal.')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByText(/Settings → Clinician/)).toBeTruthy()
    expect(send(dialog).disabled).toBe(true)
  })

  it('shows the live byte counter near the 2 097 152-byte limit and blocks a report over it', async () => {
    const { field } = await openEditor()
    expect(screen.queryByText(/ bytes$/)).toBeNull()
    typeAtCaret(field, 'é'.repeat(1_000_000))
    await screen.findByText('2,000,000 / 2,097,152 bytes')
    typeAtCaret(field, 'a'.repeat(100_000))
    await screen.findByText(/2,100,000 \/ 2,097,152 bytes — too long to send/)
    act(() => useSettingsStore.setState({ settings: { ...DEFAULT_SETTINGS, clinician: CLINICIAN } }))
    fireEvent.click(screen.getByRole('button', { name: 'Submit preliminary' }))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByText(/Blocks sending: Too long for QUBS/)).toBeTruthy()
    expect(send(dialog).disabled).toBe(true)
  })
})

describe('microphone next case', () => {
  useFreshStores()

  it('the next-case chord opens the next case from inside the report, with the draft saved', async () => {
    const other = { ...EDITOR_VIEW, appointmentId: 'A10', priority: 'STAT' }
    const { field } = await openEditor({
      methods: {
        ...worklistMethods(() => [EDITOR_VIEW, other]),
        getAppointment: async (_d, id) => (id === 'A10' ? other : EDITOR_VIEW),
      },
    })
    await waitFor(() => expect(useWorklistStore.getState().entries).toHaveLength(2))
    typeAtCaret(field, 'Dictated, then next case.')
    fireEvent.keyDown(field, { key: 'N', code: 'KeyN', ctrlKey: true, shiftKey: true })
    await waitFor(() => expect(useShellStore.getState().route).toMatchObject({ appointmentId: 'A10' }))
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe('Dictated, then next case.'))
  })
})
