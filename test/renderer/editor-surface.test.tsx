import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { useEditorStore } from '../../src-renderer/src/features/editor/editor-store'
import { useSettingsStore } from '../../src-renderer/src/stores/settings-store'
import { installFakeEditing, openEditor, storedDraft, typeAtCaret } from './editor-fixtures'
import { resetStores, useFreshStores } from './stores'

const CANARY = 'Canaryfinding zebra-quartz 7731'

describe('the report text surface', () => {
  useFreshStores()
  let editing: ReturnType<typeof installFakeEditing> | null = null
  afterEach(() => editing?.restore())

  it('is a plain textarea named "Report text", spell-checked, in the configured font size, that React never writes after mount', async () => {
    editing = installFakeEditing()
    const { field } = await openEditor()
    editing.watch(field)
    expect(field.tagName).toBe('TEXTAREA')
    expect(field.getAttribute('spellcheck')).toBe('true')
    expect(field.style.fontSize).toContain('18px')
    field.focus()
    typeAtCaret(field, 'Findings: ')
    typeAtCaret(field, 'no acute abnormality.')
    field.setSelectionRange(4, 4)
    // Saves, store updates and a settings change all re-render the editor.
    await waitFor(async () =>
      expect((await storedDraft())?.content.text).toBe('Findings: no acute abnormality.'),
    )
    act(() =>
      useSettingsStore.setState((s) => ({
        settings: { ...s.settings, editor: { ...s.settings.editor, fontSizePx: 24 } },
      })),
    )
    act(() => useEditorStore.setState({ savedAt: Date.now() }))
    expect(field.style.fontSize).toContain('24px')
    expect(field.value).toBe('Findings: no acute abnormality.')
    expect(field.selectionStart).toBe(4)
    expect(editing.scriptWrites).toBe(0)
  })

  it('saves the draft sealed, in a strict-durability transaction, bound to domain and appointment', async () => {
    const { db, field } = await openEditor()
    const idb = db.backendDB()
    const asked: unknown[] = []
    const transaction = idb.transaction.bind(idb)
    idb.transaction = ((
      names: string | string[],
      mode?: IDBTransactionMode,
      options?: IDBTransactionOptions,
    ) => {
      if (mode === 'readwrite' && [names].flat().includes('drafts')) asked.push(options?.durability)
      return transaction(names, mode, options)
    }) as typeof idb.transaction
    typeAtCaret(field, CANARY)
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe(CANARY))
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.every((d) => d === 'strict')).toBe(true)
    const row = await db.drafts.get('demo/A9')
    expect(row).toMatchObject({ domain: 'demo', appointmentId: 'A9' })
    const clear = JSON.stringify(row, (_k, v: unknown) =>
      v instanceof Uint8Array ? new TextDecoder().decode(v) : v,
    )
    expect(clear).not.toContain('Canaryfinding')
    // Copied into another appointment's row, it does not open (the AAD binds it to its row).
    await db.drafts.put({ ...row!, key: 'demo/A1', appointmentId: 'A1' })
    expect(
      await storedDraft({ ...(await import('./editor-fixtures')).EDITOR_VIEW, appointmentId: 'A1' }),
    ).toBeNull()
  })

  it('finds the draft intact after a reload, caret and scroll too', async () => {
    const db = new ReporterDatabase(`test-${crypto.randomUUID()}`)
    const first = await openEditor({ db })
    typeAtCaret(first.field, 'Line one.\nLine two.\nLine three.')
    first.field.setSelectionRange(10, 18)
    fireEvent.mouseUp(first.field)
    await waitFor(async () => expect((await storedDraft())?.content.selectionEnd).toBe(18))
    first.unmount()
    resetStores()

    const again = await openEditor({ db })
    expect(again.field.value).toBe('Line one.\nLine two.\nLine three.')
    expect([again.field.selectionStart, again.field.selectionEnd]).toEqual([10, 18])
  })

  /** A save starts in the same task as the event: the 300 ms pause has not even begun to run out. */
  async function savedAtOnceOn(fire: () => void, text: string) {
    const { field } = await openEditor()
    typeAtCaret(field, text)
    const save = vi.spyOn(useEditorStore.getState(), 'save')
    fire()
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0]![2].text).toBe(text)
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe(text))
  }

  it('saves on pagehide at once, without waiting for the pause', async () => {
    await savedAtOnceOn(
      () => window.dispatchEvent(new Event('pagehide')),
      'Said just before the window closed.',
    )
  })

  it('saves at once when the page is hidden (a crash or kill may follow)', async () => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    try {
      await savedAtOnceOn(
        () => document.dispatchEvent(new Event('visibilitychange')),
        'Written as the window was minimised.',
      )
    } finally {
      Reflect.deleteProperty(document, 'visibilityState')
    }
  })

  it('saves nothing while an IME composition is open and saves once it ends; Submit waits for it too', async () => {
    const { field } = await openEditor()
    typeAtCaret(field, 'Before. ')
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe('Before. '))
    fireEvent.compositionStart(field)
    typeAtCaret(field, 'voice typing still composing')
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect((await storedDraft())?.content.text).toBe('Before. ')
    fireEvent.click(screen.getByRole('button', { name: 'Submit final' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(screen.getByText(/Dictation is still writing/)).toBeTruthy()
    fireEvent.compositionEnd(field)
    await waitFor(async () =>
      expect((await storedDraft())?.content.text).toBe('Before. voice typing still composing'),
    )
  })

  it('E puts the caret in the report from the appointment, where the draft left it', async () => {
    const { field } = await openEditor()
    typeAtCaret(field, 'abc')
    field.setSelectionRange(1, 1)
    field.blur()
    fireEvent.keyDown(document.body, { key: 'e' })
    expect(document.activeElement).toBe(field)
    expect(field.selectionStart).toBe(1)
  })
})
