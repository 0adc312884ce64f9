import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { PageRenderer } from './page-renderer'
import { PdfUnreadableError, type PdfDocumentHandle, type PdfEngine } from './pdf-engine'

interface PdfViewerProps {
  readonly bytes: Uint8Array
  readonly engine: PdfEngine
  readonly label: string
}

type Zoom = { readonly mode: 'fit-width' } | { readonly mode: 'scale'; readonly scale: number }

const ZOOM_STEPS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4] as const
const MIN_SCALE = ZOOM_STEPS[0]
const MAX_SCALE = ZOOM_STEPS[ZOOM_STEPS.length - 1]!

function nextZoom(current: number, direction: 1 | -1): number {
  const step =
    direction === 1
      ? ZOOM_STEPS.find((s) => s > current + 0.001)
      : [...ZOOM_STEPS].reverse().find((s) => s < current - 0.001)
  return step ?? (direction === 1 ? MAX_SCALE : MIN_SCALE)
}

/** Space kept free beside the page inside the scroll area, so "fit width" shows no horizontal bar. */
const FIT_MARGIN = 24

/**
 * Mount it with a `key` per file: it opens its bytes once. One PDF page at a time on a canvas: page buttons and PageUp/PageDown, zoom buttons and Ctrl+= /
 * Ctrl+− (while the viewer has focus, so the app's own zoom keys keep working elsewhere), fit width.
 */
export function PdfViewer({ bytes, engine, label }: PdfViewerProps) {
  const [doc, setDoc] = useState<PdfDocumentHandle | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [page, setPage] = useState(1)
  const [zoom, setZoom] = useState<Zoom>({ mode: 'fit-width' })
  const [scale, setScale] = useState<number | null>(null)
  const [rendered, setRendered] = useState(0)
  const [width, setWidth] = useState(0)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  const viewerRef = useRef<HTMLDivElement>(null)
  // One per viewer, like its canvas: renders on that canvas are serialised, the newest wins.
  const [renderer] = useState(() => new PageRenderer())
  useEffect(() => () => renderer.close(), [renderer])

  useEffect(() => {
    let cancelled = false
    let opened: PdfDocumentHandle | null = null
    engine
      // pdf.js takes the buffer to its worker; a copy keeps ours for "Save" and a re-open.
      .open(bytes.slice())
      .then((handle) => {
        opened = handle
        if (cancelled) void handle.destroy()
        else {
          setDoc(handle)
          // Keyboard paging and zoom work at once, without a click into the page.
          viewerRef.current?.focus({ preventScroll: true })
        }
      })
      .catch((reason: unknown) => {
        if (!cancelled)
          setError(reason instanceof PdfUnreadableError ? reason.message : new PdfUnreadableError().message)
      })
    return () => {
      cancelled = true
      if (opened) void opened.destroy()
    }
  }, [bytes, engine])

  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    setWidth(element.clientWidth)
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(() => setWidth(element.clientWidth))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  useEffect(() => {
    if (!doc) return
    let cancelled = false
    void (async () => {
      try {
        let target = zoom.mode === 'scale' ? zoom.scale : 1
        if (zoom.mode === 'fit-width') {
          const size = await doc.pageSize(page)
          // Before the layout is known (or when hidden) there is no width to fit: draw at 100 %.
          const room = width - FIT_MARGIN
          target = room > 0 ? Math.min(MAX_SCALE, Math.max(MIN_SCALE, room / size.width)) : 1
        }
        if (cancelled || !canvasRef.current) return
        setScale(target)
        const drawn = await renderer.draw(doc, canvasRef.current, page, target)
        if (drawn && !cancelled) setRendered((count) => count + 1)
      } catch {
        if (!cancelled) setError(new PdfUnreadableError().message)
      }
    })()
    return () => {
      cancelled = true
    }
  }, [doc, page, zoom, width, renderer])

  const pageCount = doc?.pageCount ?? 0
  /**
   * Moves from the page as React will have it, not as this render saw it: presses that arrive
   * before a re-render (a held key) each count.
   */
  const goTo = useCallback(
    (target: (current: number) => number) => {
      const last = Math.max(1, pageCount)
      const clamp = (n: number) => Math.min(Math.max(1, n), last)
      setPage((current) => clamp(target(current)))
      // At the first or last page its button is disabled, and a disabled button drops the focus to the
      // page body, where PageUp/PageDown no longer reach the viewer: keep the focus in the viewer.
      if (viewerRef.current?.contains(document.activeElement)) {
        const next = clamp(target(page))
        if (next === 1 || next === last) viewerRef.current.focus({ preventScroll: true })
      }
    },
    [pageCount, page],
  )
  const zoomBy = useCallback(
    (direction: 1 | -1) => setZoom({ mode: 'scale', scale: nextZoom(scale ?? 1, direction) }),
    [scale],
  )

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const ctrl = event.ctrlKey || event.metaKey
    if (event.key === 'PageDown' || (!ctrl && event.key === 'ArrowRight')) goTo((current) => current + 1)
    else if (event.key === 'PageUp' || (!ctrl && event.key === 'ArrowLeft')) goTo((current) => current - 1)
    else if (event.key === 'Home') goTo(() => 1)
    else if (event.key === 'End') goTo(() => pageCount)
    else if (ctrl && (event.key === '=' || event.key === '+')) zoomBy(1)
    else if (ctrl && (event.key === '-' || event.key === '_')) zoomBy(-1)
    else if (ctrl && event.key === '0') setZoom({ mode: 'fit-width' })
    else return
    event.preventDefault()
    event.stopPropagation()
  }

  if (error) {
    return (
      <p role="alert" className="attachment-error">
        {error}
      </p>
    )
  }

  return (
    <div
      className="attachment-pdf"
      ref={viewerRef}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={`PDF viewer: ${label}`}
      aria-busy={!doc}
      data-rendered-count={rendered}
    >
      <div className="attachment-toolbar" role="toolbar" aria-label="PDF pages and zoom">
        <button
          type="button"
          onClick={() => goTo((current) => current - 1)}
          disabled={!doc || page <= 1}
          aria-keyshortcuts="PageUp"
        >
          Previous page
        </button>
        <span className="attachment-page-indicator" aria-live="polite" data-testid="pdf-page-indicator">
          {doc ? `Page ${page} of ${pageCount}` : 'Opening…'}
        </span>
        <button
          type="button"
          onClick={() => goTo((current) => current + 1)}
          disabled={!doc || page >= pageCount}
          aria-keyshortcuts="PageDown"
        >
          Next page
        </button>
        <span className="attachment-toolbar-gap" />
        <button type="button" onClick={() => zoomBy(-1)} disabled={!doc} aria-keyshortcuts="Control+-">
          Zoom out
        </button>
        <span className="attachment-zoom-indicator" data-testid="pdf-zoom-indicator">
          {scale === null ? '—' : `${Math.round(scale * 100)} %`}
        </span>
        <button type="button" onClick={() => zoomBy(1)} disabled={!doc} aria-keyshortcuts="Control+=">
          Zoom in
        </button>
        <button
          type="button"
          onClick={() => setZoom({ mode: 'fit-width' })}
          disabled={!doc}
          aria-pressed={zoom.mode === 'fit-width'}
          aria-keyshortcuts="Control+0"
        >
          Fit width
        </button>
      </div>
      {/* Focusable, so the page can be scrolled with the keyboard when zoomed in. */}
      <div className="attachment-canvas-scroll" ref={scrollRef} tabIndex={0} aria-label="PDF page">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={doc ? `Page ${page} of ${pageCount}` : 'Loading PDF'}
        />
      </div>
    </div>
  )
}
