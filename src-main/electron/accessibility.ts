import type { App } from 'electron'
import type { Settings } from '../../src-preload/contract/settings-schemas'

/**
 * Dictation software (Dragon, Windows voice typing) finds text fields through the platform
 * accessibility tree, which Chromium builds only when it detects assistive technology. The setting
 * `accessibility.dictationSupport` (on by default) forces it on; applied at start and on every change.
 */
export interface DictationSupportSettings {
  readonly settings: Pick<Settings, 'accessibility'>
  onChange(listener: (view: { readonly settings: Pick<Settings, 'accessibility'> }) => void): () => void
}

export function applyDictationSupport(
  app: Pick<App, 'setAccessibilitySupportEnabled'>,
  settings: DictationSupportSettings,
): () => void {
  app.setAccessibilitySupportEnabled(settings.settings.accessibility.dictationSupport)
  return settings.onChange((view) =>
    app.setAccessibilitySupportEnabled(view.settings.accessibility.dictationSupport),
  )
}
