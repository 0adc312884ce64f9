import { useEffect, useRef, useState } from 'react'
import type { WipeResult } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { createRendererLogger, errorFields } from '../../bridge/log'
import { errorMessage } from '../../ui/error-message'
import './privacy.css'

const log = createRendererLogger('privacy')

export interface WipeDialogProps {
  readonly onClose: () => void
  /** After a wipe: the shell starts over on an empty cache (the app reloads) and refreshes. */
  readonly onWiped: (result: WipeResult) => void
}

/**
 * "Wipe local data", confirmed. Always the offline copy (main replaces its key, so every cached table is
 * cleared when the app opens it again) and main's caches; the outbox too when asked, which main refuses
 * while any submission still waits to be delivered or exported — the dialog then says how many and
 * wipes nothing.
 */
export function WipeDialog({ onClose, onWiped }: WipeDialogProps) {
  const [includeOutbox, setIncludeOutbox] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const cancel = useRef<HTMLButtonElement>(null)

  useEffect(() => cancel.current?.focus(), [])

  const wipe = async () => {
    setBusy(true)
    setProblem(null)
    try {
      const result = await getBridge().wipeLocalData({ includeOutbox })
      onWiped(result)
    } catch (error) {
      log.warn('wipe of local data refused or failed', errorFields(error))
      setProblem(errorMessage(error))
      setBusy(false)
    }
  }

  return (
    <div className="overlay">
      <div
        className="dialog wipe-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="wipe-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !busy) onClose()
        }}
      >
        <h2 id="wipe-title">Wipe local data</h2>
        <p>
          This removes the patient data this workstation keeps offline: the cached worklist, appointments,
          comments, attachments and drafts. The worklist is fetched again from QUBS afterwards.
        </p>
        <label>
          <input
            type="checkbox"
            checked={includeOutbox}
            onChange={(event) => setIncludeOutbox(event.target.checked)}
          />{' '}
          Also the outbox (only when every submission is delivered or exported; exported files are kept)
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" ref={cancel} onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => void wipe()} disabled={busy}>
            {busy ? 'Wiping…' : 'Wipe local data'}
          </button>
        </div>
      </div>
    </div>
  )
}
