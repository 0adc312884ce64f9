/**
 * The viewer's window onto pdf.js, kept small so the components can be tested without a canvas and
 * so pdf.js (≈1 MB) loads only when the first PDF is opened. The real engine lives in pdfjs-engine.ts.
 */
export interface PageSize {
  /** In CSS pixels at 100 % zoom. */
  readonly width: number
  readonly height: number
}

export interface PdfDocumentHandle {
  readonly pageCount: number
  pageSize(pageNumber: number): Promise<PageSize>
  /**
   * Draws one page (1-based) at a zoom factor. pdf.js refuses a second render on a canvas whose first
   * has not settled, so callers go through PageRenderer (page-renderer.ts), which starts one only
   * after the previous settled. Aborting `signal` cancels the render: it then rejects with an
   * AbortError and leaves the canvas alone if it had not started drawing.
   */
  render(pageNumber: number, canvas: HTMLCanvasElement, scale: number, signal: AbortSignal): Promise<void>
  destroy(): Promise<void>
}

export interface PdfEngine {
  /** Takes ownership of `bytes` (they are handed to the worker). */
  open(bytes: Uint8Array): Promise<PdfDocumentHandle>
  /** Loads pdf.js and starts its worker ahead of the first open, so a first page is not kept waiting. */
  prepare(): void
}

/** pdf.js loaded on first use, from our own bundle: no CDN, no network. */
export const lazyPdfEngine: PdfEngine = {
  open: async (bytes) => (await import('./pdfjs-engine')).pdfjsEngine.open(bytes),
  prepare: () => {
    import('./pdfjs-engine').then(({ pdfjsEngine }) => pdfjsEngine.prepare()).catch(() => undefined)
  },
}

export class PdfUnreadableError extends Error {
  constructor() {
    super(
      'This PDF could not be read: it may be damaged or protected by a password. Save it to open it elsewhere.',
    )
    this.name = 'PdfUnreadableError'
  }
}
