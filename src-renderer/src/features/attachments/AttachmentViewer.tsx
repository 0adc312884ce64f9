import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { AttachmentView } from '../../../../src-preload/contract'
import { describeAttachmentError } from './attachment-errors'
import { displayFileName, safeDownloadName } from './attachment-format'
import type { AttachmentServices } from './attachment-services'
import type { OpenedAttachment } from './attachment-source'
import { detectContentKind } from './content-kind'
import { ImageViewer } from './ImageViewer'
import { PdfViewer } from './PdfViewer'
import { saveBytes } from './save-file'

interface AttachmentViewerProps {
  readonly services: AttachmentServices
  readonly domain: string
  readonly appointmentId: string
  readonly view: AttachmentView
  readonly onClose: () => void
}

type Loaded =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly file: OpenedAttachment }
  | { readonly state: 'error'; readonly message: string }

/**
 * Shows one attachment from the cache (fetching and caching it first when needed). While shown, the
 * file is pinned so the cache never evicts it. PDFs go to pdf.js, images to an <img>, anything else is
 * offered for saving; the kind is judged from the bytes, never from the file name.
 */
export function AttachmentViewer({ services, domain, appointmentId, view, onClose }: AttachmentViewerProps) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const name = displayFileName(view)
  const sectionRef = useRef<HTMLElement>(null)

  // Focus moves into the viewer, so Escape closes it and the PDF keys work without a click.
  useEffect(() => {
    sectionRef.current?.focus({ preventScroll: true })
  }, [])

  useEffect(() => {
    let cancelled = false
    const unpin = services.source.cache.pin(domain, appointmentId, view.guid)
    services.source
      .open(domain, appointmentId, view)
      .then((file) => !cancelled && setLoaded({ state: 'ready', file }))
      .catch(
        (error: unknown) =>
          !cancelled && setLoaded({ state: 'error', message: describeAttachmentError(error, 'open') }),
      )
    return () => {
      cancelled = true
      unpin()
    }
  }, [services, domain, appointmentId, view, attempt])

  const kind = useMemo(
    () => (loaded.state === 'ready' ? detectContentKind(loaded.file.bytes) : null),
    [loaded],
  )

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return
    event.stopPropagation()
    onClose()
  }

  return (
    <section
      className="attachment-viewer"
      aria-label={`Viewer: ${name}`}
      onKeyDown={onKeyDown}
      ref={sectionRef}
      tabIndex={-1}
    >
      <header className="attachment-viewer-header">
        <h3 title={name}>{name}</h3>
        {loaded.state === 'ready' && (
          <button
            type="button"
            onClick={() => saveBytes(loaded.file.bytes, safeDownloadName(view), kind?.mimeType)}
          >
            Save a copy
          </button>
        )}
        <button type="button" onClick={onClose} aria-keyshortcuts="Escape">
          Close
        </button>
      </header>
      {loaded.state === 'loading' && (
        <p aria-busy="true" className="attachment-note">
          Opening…
        </p>
      )}
      {loaded.state === 'error' && (
        <div role="alert" className="attachment-error">
          <p>{loaded.message}</p>
          <button
            type="button"
            onClick={() => {
              setLoaded({ state: 'loading' })
              setAttempt((n) => n + 1)
            }}
          >
            Try again
          </button>
        </div>
      )}
      {loaded.state === 'ready' && kind?.kind === 'pdf' && (
        <PdfViewer key={loaded.file.sha256} bytes={loaded.file.bytes} engine={services.pdf} label={name} />
      )}
      {loaded.state === 'ready' && kind?.kind === 'image' && (
        <ImageViewer
          key={loaded.file.sha256}
          bytes={loaded.file.bytes}
          mimeType={kind.mimeType}
          label={name}
        />
      )}
      {loaded.state === 'ready' && kind?.kind === 'other' && (
        <div className="attachment-save-offer">
          <p>This kind of file cannot be shown here. Save it and open it with another program.</p>
          <button type="button" onClick={() => saveBytes(loaded.file.bytes, safeDownloadName(view))}>
            Save file
          </button>
        </div>
      )}
      {loaded.state === 'ready' && !loaded.file.cached && (
        <p className="attachment-note">
          This file is larger than the offline cache allows; it will not open offline.
        </p>
      )}
    </section>
  )
}
