import { useState } from 'react'
import type { KeyChord, ShortcutAction } from '../../../../src-preload/contract/settings-schemas'
import { chordOf } from '../../ui/key-chord'
import { SettingsSection } from './SettingsFields'
import { useSectionForm } from './use-section'

const ACTIONS: readonly { readonly action: ShortcutAction; readonly label: string }[] = [
  { action: 'nextField', label: 'Next [field] in the report' },
  { action: 'previousField', label: 'Previous [field] in the report' },
  { action: 'submitPreliminary', label: 'Send as preliminary' },
  { action: 'submitFinal', label: 'Send as final' },
  { action: 'nextCase', label: 'Next case' },
]

const labelOf = (action: ShortcutAction) => ACTIONS.find((a) => a.action === action)?.label ?? action

/**
 * Keys and microphone buttons per action. "Add a key" listens for the next chord (a dictation
 * microphone's programmable button sends one too) and shows it as `Ctrl+Shift+F9`; Escape cancels.
 */
export function ShortcutsSection() {
  const form = useSectionForm('shortcuts')
  const [capturing, setCapturing] = useState<ShortcutAction | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const add = (action: ShortcutAction, chord: KeyChord) => {
    const owner = ACTIONS.find((a) => form.draft[a.action].includes(chord))
    if (owner) {
      setProblem(`${chord} is already used for “${labelOf(owner.action)}”.`)
      return
    }
    setProblem(null)
    form.set(action, [...form.draft[action], chord])
  }

  return (
    <SettingsSection id="settings-shortcuts" title="Shortcuts and microphone buttons" form={form}>
      <p className="setting-hint">
        Tab / Shift+Tab also move between fields. Press “Add a key”, then the key combination or the
        microphone button.
      </p>
      <table className="shortcut-table">
        <tbody>
          {ACTIONS.map(({ action, label }) => {
            const source = form.sourceOf(action)
            const error = form.errors[action]
            return (
              <tr key={action}>
                <th scope="row">{label}</th>
                <td>
                  {form.draft[action].length === 0 && <span className="muted">none</span>}
                  {form.draft[action].map((chord) => (
                    <span key={chord} className="chord">
                      <kbd>{chord}</kbd>
                      <button
                        type="button"
                        disabled={source.locked}
                        aria-label={`Remove ${chord} from ${label}`}
                        onClick={() =>
                          form.set(
                            action,
                            form.draft[action].filter((c) => c !== chord),
                          )
                        }
                      >
                        ×
                      </button>
                    </span>
                  ))}
                </td>
                <td>
                  <button
                    type="button"
                    className={capturing === action ? 'capturing' : undefined}
                    disabled={source.locked}
                    aria-label={
                      capturing === action ? `Press the keys for ${label}` : `Add a key for ${label}`
                    }
                    onClick={() => setCapturing(capturing === action ? null : action)}
                    onBlur={() => setCapturing((c) => (c === action ? null : c))}
                    onKeyDown={(event) => {
                      if (capturing !== action) return
                      // The press is for us, not for the app's shortcuts or the form.
                      event.preventDefault()
                      event.stopPropagation()
                      if (event.key === 'Escape') return setCapturing(null)
                      const captured = chordOf(event.nativeEvent)
                      if (captured.kind === 'waiting') return
                      setCapturing(null)
                      if (captured.kind === 'unsupported')
                        return setProblem(`${captured.key} cannot be used; try a letter, digit or F-key.`)
                      add(action, captured.chord)
                    }}
                  >
                    {capturing === action ? 'Press the keys… (Escape cancels)' : 'Add a key'}
                  </button>
                </td>
                <td>
                  <span className="setting-source">{source.text}</span>
                  {error && (
                    <span className="field-error" role="alert">
                      {error}
                    </span>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </SettingsSection>
  )
}
