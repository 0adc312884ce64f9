import { PdfUnreadableError, type PdfDocumentHandle } from './pdf-engine'

/**
 * Draws the viewer's pages onto its one canvas, one render at a time and newest request first.
 * PageDown pressed twice before a page loaded used to start two renders on the same canvas; pdf.js
 * rejects the second ("Cannot use the same canvas during multiple render() operations"), and that
 * was shown as an unreadable PDF. Here every request takes a token: a newer one aborts the render
 * in progress, waits until it has settled, and requests overtaken while waiting are dropped unseen.
 */
export class PageRenderer {
  #latest = 0
  #current: AbortController | null = null
  /** Settles when the last render started (or skipped) has settled; never rejects. */
  #idle: Promise<unknown> = Promise.resolve()

  /**
   * True once the page is on the canvas; false when a newer request (or close) replaced this one.
   * A genuine failure rejects with PdfUnreadableError.
   */
  draw(
    doc: PdfDocumentHandle,
    canvas: HTMLCanvasElement,
    pageNumber: number,
    scale: number,
  ): Promise<boolean> {
    const request = ++this.#latest
    this.#current?.abort()
    const run = this.#idle.then(async () => {
      if (request !== this.#latest) return false
      const controller = new AbortController()
      this.#current = controller
      try {
        await doc.render(pageNumber, canvas, scale, controller.signal)
        return request === this.#latest
      } catch (error) {
        // Cancelled because something newer was asked for: not a fault of the file.
        if (controller.signal.aborted) return false
        throw error instanceof PdfUnreadableError ? error : new PdfUnreadableError()
      } finally {
        if (this.#current === controller) this.#current = null
      }
    })
    this.#idle = run.catch(() => undefined)
    return run
  }

  /** Drops every request and cancels the render in progress (the viewer is going away). */
  close(): void {
    this.#latest += 1
    this.#current?.abort()
  }
}
