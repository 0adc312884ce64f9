import type { SettingsView } from '../../src-preload/contract/settings-schemas'

/**
 * What keeps PHI off other people's screens at the window level, free of Electron imports so it is
 * tested with fakes: content protection (the window is blank in screen shares and screenshots where
 * the OS supports it) follows `settings.privacy.contentProtection`, and the OS locking the session or
 * going to sleep asks the app to lock.
 */
export interface ProtectableWindow {
  setContentProtection(enable: boolean): void
  isDestroyed(): boolean
}

export interface ContentProtectionSettings {
  readonly settings: { readonly privacy: { readonly contentProtection: boolean } }
  onChange(listener: (view: SettingsView) => void): () => void
}

export interface ContentProtectionBinding {
  /** For a window opened after the binding (the current setting at once). */
  apply(window: ProtectableWindow): void
  unbind(): void
}

export function bindContentProtection(
  settings: ContentProtectionSettings,
  windows: () => Iterable<ProtectableWindow>,
): ContentProtectionBinding {
  const applyTo = (window: ProtectableWindow, enable: boolean) => {
    if (!window.isDestroyed()) window.setContentProtection(enable)
  }
  for (const window of windows()) applyTo(window, settings.settings.privacy.contentProtection)
  const unbind = settings.onChange((view) => {
    for (const window of windows()) applyTo(window, view.settings.privacy.contentProtection)
  })
  return { apply: (window) => applyTo(window, settings.settings.privacy.contentProtection), unbind }
}

export type LockReason = 'os-lock' | 'suspend'

/** The part of Electron's `powerMonitor` used here. */
export interface PowerEvents {
  on(event: 'lock-screen' | 'suspend', listener: () => void): unknown
  off(event: 'lock-screen' | 'suspend', listener: () => void): unknown
}

export function bindPowerEvents(
  powerMonitor: PowerEvents,
  handlers: Readonly<{ onLock: (reason: LockReason) => void }>,
): () => void {
  const onScreenLock = () => handlers.onLock('os-lock')
  const onSuspend = () => handlers.onLock('suspend')
  powerMonitor.on('lock-screen', onScreenLock)
  powerMonitor.on('suspend', onSuspend)
  return () => {
    powerMonitor.off('lock-screen', onScreenLock)
    powerMonitor.off('suspend', onSuspend)
  }
}
