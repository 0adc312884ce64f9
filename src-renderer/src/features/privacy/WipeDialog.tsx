import { useContext, useEffect, useRef, useState } from 'react'
import type { WipeResult } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { createRendererLogger, errorFields } from '../../bridge/log'
import type { CacheSession } from '../../db/cache-session'
import { listUndeliveredDraftKeys } from '../../db/drafts'
import { errorMessage } from '../../ui/error-message'
import { CacheSessionContext } from '../../ui/session-context'
import './privacy.css'

const log = createRendererLogger('privacy')

export interface WipeDialogProps {
  readonly onClose: () => void
  /** After a wipe: the shell starts over on an empty cache (the app reloads) and refreshes. */
  readonly onWiped: (result: WipeResult) => void
  /** The open offline cache, where the dialog is shown outside the screens' provider. */
  readonly session?: CacheSession | null
}

/**
 * "Wipe local data", confirmed. Always the offline copy (main replaces its key, so every cached table is
 * cleared when the app opens it again) and main's caches; the outbox too when asked, which main refuses
 * while any submission still waits to be delivered or exported — the dialog then says how many and
 * wipes nothing. Report drafts not yet submitted live only in the offline copy: when there are any, the
 * dialog names how many and wipes only once the person ticked that they go too — never silently.
 */
export function WipeDialog({ onClose, onWiped, session }: WipeDialogProps) {
  const contextSession = useContext(CacheSessionContext)
  const cache = session ?? contextSession
  const [includeOutbox, setIncludeOutbox] = useState(false)
  /** Unsent drafts in the offline copy; null while counting (the wipe waits for the count). */
  const [unsentDrafts, setUnsentDrafts] = useState<number | null>(cache ? null : 0)
  const [draftsConfirmed, setDraftsConfirmed] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const cancel = useRef<HTMLButtonElement>(null)

  useEffect(() => cancel.current?.focus(), [])

  useEffect(() => {
    if (!cache) return
    let current = true
    void listUndeliveredDraftKeys(cache)
      .then((keys) => current && setUnsentDrafts(keys.size))
      .catch((error: unknown) => {
        log.warn('unsent drafts could not be counted', errorFields(error))
        // Not knowing is not "none": the wipe stays blocked.
        if (current) setProblem('The report drafts could not be counted, so nothing can be wiped now.')
      })
    return () => {
      current = false
    }
  }, [cache])

  const draftsBlock = unsentDrafts === null || (unsentDrafts > 0 && !draftsConfirmed)

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
        {unsentDrafts !== null && unsentDrafts > 0 && (
          <label className="wipe-drafts">
            <input
              type="checkbox"
              checked={draftsConfirmed}
              onChange={(event) => setDraftsConfirmed(event.target.checked)}
            />{' '}
            Also delete {unsentDrafts === 1 ? '1 report draft' : `${unsentDrafts} report drafts`} not
            submitted yet — they exist only on this computer and cannot be recovered
          </label>
        )}
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" ref={cancel} onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => void wipe()} disabled={busy || draftsBlock}>
            {busy ? 'Wiping…' : 'Wipe local data'}
          </button>
        </div>
      </div>
    </div>
  )
}
