import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { ApiMethods } from '../../src-preload/contract'
import { SettingsScreen } from '../../src-renderer/src/features/settings'
import { useSetupStore } from '../../src-renderer/src/features/setup'
import { useSettingsStore } from '../../src-renderer/src/stores/settings-store'
import { installFakeBridge } from './fake-bridge'
import { fakeSettings } from './fake-settings'
import { CONFIGURED_SETUP } from './setup-fixtures'
import { useFreshStores } from './stores'

async function showSettings(settings = fakeSettings(), extra: Partial<ApiMethods> = {}) {
  const fake = installFakeBridge({
    ...settings.methods,
    getConnectionSetup: async () => CONFIGURED_SETUP,
    ...extra,
  })
  await useSettingsStore.getState().load()
  await useSetupStore.getState().load()
  render(<SettingsScreen onReconnected={() => undefined} onWipe={() => undefined} />)
  return { settings, fake, user: userEvent.setup() }
}

const section = (name: string) => screen.getByRole('region', { name })

// Typing through userEvent is slow on a loaded machine; the default 5 s is for quick tests.
describe('settings screen', { timeout: 20_000 }, () => {
  useFreshStores()

  it('checks a field with the schema as it is typed, shows the error inline, and saves only what changed', async () => {
    const { settings, user } = await showSettings()
    const sync = section('Sync')
    const interval = within(sync).getByRole('spinbutton', { name: /Refresh the worklist every/ })
    expect(within(sync).getByText('default')).toBeTruthy()
    await user.clear(interval)
    await user.type(interval, '5')
    expect(interval.getAttribute('aria-invalid')).toBe('true')
    expect(within(sync).getByRole('alert').textContent).toMatch(/15/)
    await user.click(within(sync).getByRole('button', { name: 'Save sync' }))
    expect(settings.patches).toEqual([])
    expect(within(sync).getByText(/Not saved: correct the fields/)).toBeTruthy()
    await user.clear(interval)
    await user.type(interval, '120')
    expect(within(sync).queryByRole('alert')).toBeNull()
    await user.click(within(sync).getByRole('button', { name: 'Save sync' }))
    await waitFor(() => expect(settings.patches).toEqual([{ sync: { worklistIntervalSeconds: 120 } }]))
    expect(within(sync).getByText('yours')).toBeTruthy()
    expect(within(sync).getByText('Saved.')).toBeTruthy()
  })

  it('shows main’s refusal (red after amber) and a field fixed by the environment read-only with its variable', async () => {
    const { settings, user } = await showSettings(
      fakeSettings({ env: { 'privacy.idleLockMinutes': { value: 5, variable: 'QUBS_IDLE_LOCK_MINUTES' } } }),
    )
    const privacy = section('Privacy')
    const lock = within(privacy).getByRole('spinbutton', { name: /Lock the screen after idle/ })
    expect(lock.hasAttribute('readonly')).toBe(true)
    expect((lock as HTMLInputElement).value).toBe('5')
    expect(within(privacy).getByText('set by QUBS_IDLE_LOCK_MINUTES, cannot be changed here')).toBeTruthy()

    const worklist = section('Countdown thresholds')
    const red = within(worklist).getByRole('spinbutton', { name: /turns red/ })
    await user.clear(red)
    await user.type(red, '90')
    expect(within(worklist).getByRole('alert').textContent).toMatch(/red must come after amber/)
    await user.click(within(worklist).getByRole('button', { name: 'Save countdown thresholds' }))
    expect(settings.patches).toEqual([])
  })

  it('saves a toggle at once', async () => {
    const { settings, user } = await showSettings()
    await user.click(screen.getByRole('checkbox', { name: /Hide the window from screen sharing/ }))
    await waitFor(() => expect(settings.patches).toEqual([{ privacy: { contentProtection: true } }]))
    expect(settings.settings.privacy.contentProtection).toBe(true)
  })

  it('captures a chord by pressing it (a microphone button sends one too) and shows it as Ctrl+Shift+F9', async () => {
    const { settings, user } = await showSettings()
    const shortcuts = section('Shortcuts and microphone buttons')
    await user.click(within(shortcuts).getByRole('button', { name: 'Add a key for Next case' }))
    await user.keyboard('{Control>}{Shift>}{F9}{/Shift}{/Control}')
    expect(within(shortcuts).getByText('Ctrl+Shift+F9')).toBeTruthy()
    // A chord already taken is refused by name.
    await user.click(within(shortcuts).getByRole('button', { name: 'Add a key for Send as final' }))
    await user.keyboard('{Control>}{Shift>}{F9}{/Shift}{/Control}')
    expect(within(shortcuts).getByRole('alert').textContent).toMatch(/already used for “Next case”/)
    await user.click(within(shortcuts).getByRole('button', { name: 'Save shortcuts and microphone buttons' }))
    await waitFor(() =>
      expect(settings.patches).toEqual([{ shortcuts: { nextCase: ['Ctrl+Shift+N', 'Ctrl+Shift+F9'] } }]),
    )
  })

  it('templates: the starter set until one is added; add, edit, delete, reset', async () => {
    const { settings, user } = await showSettings()
    const templates = section('Templates and macros')
    expect(within(templates).getAllByText(/Using the starter set/)).toHaveLength(2)
    await user.click(within(templates).getByRole('button', { name: 'Add template' }))
    await user.click(within(templates).getByRole('button', { name: 'Keep this template' }))
    // The schema's message for the empty name, inline.
    expect(within(templates).getAllByRole('alert').length).toBeGreaterThan(0)
    await user.type(within(templates).getByRole('textbox', { name: 'Name' }), 'CT head')
    await user.type(within(templates).getByRole('textbox', { name: /Default for modalities/ }), 'CT')
    await user.type(within(templates).getByRole('textbox', { name: /Text/ }), 'Findings: [[ ]')
    await user.click(within(templates).getByRole('button', { name: 'Keep this template' }))
    await user.click(within(templates).getByRole('button', { name: 'Save templates and macros' }))
    await waitFor(() => expect(settings.settings.editor.templates).toHaveLength(1))
    expect(settings.settings.editor.templates![0]).toMatchObject({ name: 'CT head', modalities: ['CT'] })
    expect(settings.settings.editor.macros).toBeNull()
    await user.click(within(templates).getByRole('button', { name: 'Edit CT head' }))
    await user.type(within(templates).getByRole('textbox', { name: 'Name' }), ' plain')
    await user.click(within(templates).getByRole('button', { name: 'Keep this template' }))
    await user.click(within(templates).getByRole('button', { name: 'Save templates and macros' }))
    await waitFor(() => expect(settings.settings.editor.templates![0]!.name).toBe('CT head plain'))
    expect(settings.settings.editor.templates).toHaveLength(1)
    await user.click(within(templates).getByRole('button', { name: 'Delete CT head plain' }))
    await user.click(within(templates).getByRole('button', { name: 'Save templates and macros' }))
    await waitFor(() => expect(settings.settings.editor.templates).toEqual([]))
    await user.click(within(templates).getByRole('button', { name: 'Reset templates to the starter set' }))
    await user.click(within(templates).getByRole('button', { name: 'Save templates and macros' }))
    await waitFor(() => expect(settings.settings.editor.templates).toBeNull())
  })

  it('follows main while untouched: a change from elsewhere shows at once', async () => {
    const settings = fakeSettings()
    const { fake } = await showSettings(settings)
    const view = await settings.methods.updateSettings({ clinician: { name: 'Dr Test Example' } })
    act(() => fake.emit('settingsChanged', view))
    const name = within(section('Clinician profile')).getByRole('textbox', { name: /Name/ })
    expect((name as HTMLInputElement).value).toBe('Dr Test Example')
  })
})
