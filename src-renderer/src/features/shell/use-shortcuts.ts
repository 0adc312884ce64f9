import { useEffect } from 'react'
import { useSettingsStore } from '../../stores/settings-store'
import { isTyping } from '../../ui/shortcuts'
import { actionForKeyEvent } from '../editor/shortcut-match'

export interface ShortcutActions {
  /** True while a modal dialog (the help) is open: then only Escape acts, nothing behind it. */
  modalOpen(): boolean
  focusFilter(): void
  escape(target: EventTarget | null): void
  help(): void
  nextCase(): void
  refresh(): void
  outbox(): void
  worklist(): void
  settings(): void
  toggleTheme(): void
  zoom(step: -1 | 0 | 1): void
}

/**
 * The app-wide keys. Letters are ignored while the person types in a field; Escape, zoom and the
 * next-case chord never are.
 * While a modal dialog is open only Escape acts (it closes the dialog).
 */
export function useShortcuts(actions: ShortcutActions) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (actions.modalOpen()) {
        if (event.key === 'Escape') actions.escape(event.target)
        return
      }
      // A dictation microphone's "next case" button (a chord from settings) works everywhere, the
      // report field included; the editor saves the draft as it closes.
      if (actionForKeyEvent(event, useSettingsStore.getState().settings.shortcuts) === 'nextCase') {
        event.preventDefault()
        return actions.nextCase()
      }
      if (event.ctrlKey || event.metaKey) {
        if (event.key === ',') {
          event.preventDefault()
          return actions.settings()
        }
        const step = { '=': 1, '+': 1, '-': -1, '0': 0 }[event.key] as -1 | 0 | 1 | undefined
        if (step !== undefined) {
          event.preventDefault()
          actions.zoom(step)
        }
        return
      }
      if (event.key === 'Escape') return actions.escape(event.target)
      if (event.altKey || isTyping(event.target)) return
      const run: Record<string, () => void> = {
        '/': actions.focusFilter,
        '?': actions.help,
        n: actions.nextCase,
        r: actions.refresh,
        o: actions.outbox,
        w: actions.worklist,
        s: actions.settings,
        t: actions.toggleTheme,
      }
      const action = run[event.key.toLowerCase()]
      if (action) {
        event.preventDefault()
        action()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [actions])
}
