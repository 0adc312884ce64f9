import { act, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { AppointmentView } from '../../src-preload/contract'
import { useShellStore } from '../../src-renderer/src/features/shell/shell-store'
import { EDITOR_VIEW, openEditor, storedDraft, typeAtCaret } from './editor-fixtures'
import { worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

const OTHER_VIEW: AppointmentView = {
  ...EDITOR_VIEW,
  appointmentId: 'B1',
  patientName: 'Otherpatient, Pat',
  lastName: 'Otherpatient',
  firstName: 'Pat',
}

async function openBoth() {
  const views = [EDITOR_VIEW, OTHER_VIEW]
  return openEditor({
    methods: {
      ...worklistMethods(() => views),
      getAppointment: async (_domain: string, id: string) => views.find((v) => v.appointmentId === id)!,
    },
  })
}

const go = (view: AppointmentView) =>
  useShellStore
    .getState()
    .navigate({ screen: 'appointment', domain: view.domain, appointmentId: view.appointmentId })

describe('switching appointments while a save is on its way', () => {
  useFreshStores()

  it('reopening an appointment before its closing save lands shows the newest words, and typing keeps them', async () => {
    const { field } = await openBoth()
    typeAtCaret(field, 'First sentence. ')
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe('First sentence. '))
    typeAtCaret(field, 'LAST WORDS')
    act(() => go(OTHER_VIEW))
    act(() => go(EDITOR_VIEW))
    const again = (await screen.findByRole('textbox', { name: 'Report text' })) as HTMLTextAreaElement
    expect(again.value).toBe('First sentence. LAST WORDS')
    typeAtCaret(again, ' MORE')
    await waitFor(async () =>
      expect((await storedDraft())?.content.text).toBe('First sentence. LAST WORDS MORE'),
    )
    expect(await storedDraft(OTHER_VIEW)).toBeNull()
  })

  it('reopening waits for a closing save that queued behind a slow write', async () => {
    const { field } = await openBoth()
    typeAtCaret(field, 'One. ')
    // The autosave starts (after the pause) and, while it writes, more words come and the person leaves.
    await new Promise((resolve) => setTimeout(resolve, 320))
    typeAtCaret(field, 'Two.')
    act(() => go(OTHER_VIEW))
    act(() => go(EDITOR_VIEW))
    const again = (await screen.findByRole('textbox', { name: 'Report text' })) as HTMLTextAreaElement
    expect(again.value).toBe('One. Two.')
    await waitFor(async () => expect((await storedDraft())?.content.text).toBe('One. Two.'))
  })
})
