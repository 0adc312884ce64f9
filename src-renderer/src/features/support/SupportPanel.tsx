import { useState } from 'react'
import { getBridge } from '../../bridge'
import { useAppInfoStore } from '../../stores/app-info-store'
import { errorMessage } from '../../ui/error-message'
import { copyText } from './copy-text'

const RUNTIME_NAMES: Readonly<Record<string, string>> = {
  node: 'Node.js',
  electron: 'Electron',
  chrome: 'Chromium',
}

type Outcome = { readonly ok: boolean; readonly text: string } | null

/**
 * About and support: the versions, "Copy support information" (main composes it without PHI:
 * versions, mode, connection state, outbox counts, the last errors with their ids, the log location)
 * and "Export diagnostics" (the same as a file; the path is shown).
 */
export function SupportPanel({ copy = copyText }: Readonly<{ copy?: (text: string) => Promise<boolean> }>) {
  const info = useAppInfoStore((s) => s.info)
  const [copied, setCopied] = useState<Outcome>(null)
  const [manual, setManual] = useState<string | null>(null)
  const [exported, setExported] = useState<Outcome>(null)
  const [busy, setBusy] = useState(false)

  const copySupportInfo = async () => {
    setBusy(true)
    setManual(null)
    try {
      const { text } = await getBridge().getSupportInfo()
      if (await copy(text))
        setCopied({
          ok: true,
          text: 'Support information copied. Paste it into your message to QUBS support.',
        })
      else {
        setManual(text)
        setCopied({ ok: false, text: 'The clipboard refused; select the text below and copy it (Ctrl+C).' })
      }
    } catch (error) {
      setCopied({ ok: false, text: errorMessage(error) })
    } finally {
      setBusy(false)
    }
  }

  const exportDiagnostics = async () => {
    setBusy(true)
    try {
      const { path } = await getBridge().exportDiagnostics()
      setExported({ ok: true, text: `Diagnostics saved to ${path}` })
    } catch (error) {
      setExported({ ok: false, text: errorMessage(error) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="support-panel" aria-labelledby="support-title">
      <h2 id="support-title" tabIndex={-1}>
        About and support
      </h2>
      {info && (
        <dl className="about">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Mode</dt>
          <dd>{info.mode === 'demo' ? 'DEMO (built-in sandbox, fake patients)' : 'QUBS'}</dd>
          {Object.entries(info.runtime).map(
            ([name, version]) =>
              version && <FragmentRow key={name} name={RUNTIME_NAMES[name] ?? name} version={version} />,
          )}
        </dl>
      )}
      <p className="muted">
        Support information holds versions, the connection state, outbox counts and recent error ids. It never
        holds patient details or report text.
      </p>
      <div className="form-row">
        <button type="button" disabled={busy} onClick={() => void copySupportInfo()}>
          Copy support information
        </button>
        <button type="button" disabled={busy} onClick={() => void exportDiagnostics()}>
          Export diagnostics
        </button>
      </div>
      <p role="status" className={copied?.ok === false ? 'error' : undefined}>
        {copied?.text ?? ''}
      </p>
      {manual !== null && (
        <textarea
          className="support-text"
          aria-label="Support information"
          readOnly
          rows={10}
          value={manual}
          ref={(el) => el?.select()}
        />
      )}
      <p role="status" className={exported?.ok === false ? 'error' : 'mono'}>
        {exported?.text ?? ''}
      </p>
    </section>
  )
}

function FragmentRow({ name, version }: Readonly<{ name: string; version: string }>) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{version}</dd>
    </>
  )
}
