import { useEffect, useRef } from 'react'
import { SHORTCUTS } from './shortcuts'

/** The list of every shortcut, as a modal dialog; Escape or the button closes it. */
export function HelpOverlay({ onClose }: Readonly<{ onClose(): void }>) {
  const closeRef = useRef<HTMLButtonElement>(null)
  // Focus goes into the dialog and, when it closes, back to where the person was (the worklist row).
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    closeRef.current?.focus()
    return () => previous?.focus()
  }, [])
  return (
    <div className="overlay" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        className="dialog"
        onClick={(e) => e.stopPropagation()}
        // The only control is Close: Tab stays on it instead of leaving the modal dialog.
        onKeyDown={(e) => {
          if (e.key === 'Tab') {
            e.preventDefault()
            closeRef.current?.focus()
          }
        }}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.what}>
                <th scope="row">
                  {s.keys.map((key) => (
                    <kbd key={key}>{key}</kbd>
                  ))}
                </th>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
