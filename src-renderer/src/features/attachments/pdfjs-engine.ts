import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist'
// Vite bundles the worker from node_modules into our own output (a .js chunk served by us): no CDN.
import PdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker'
import { PdfUnreadableError, type PdfDocumentHandle, type PdfEngine } from './pdf-engine'

/**
 * pdf.js behind the PdfEngine port. Safety settings (lessons: CVE-2024-4367): pdf.js 6 has no eval
 * path left (`isEvalSupported` was removed with it; the attachment e2e test checks the bundled pdf.js
 * chunks for eval and the Function constructor), and no annotation layer is rendered, so scripting
 * (`enableScripting` belongs to that layer) and links cannot run. No CMap, standard-font or wasm URL
 * is given, so the worker never fetches anything: fonts a PDF does not embed use system fonts.
 */

let worker: Worker | null = null

/** One worker for the page's lifetime: starting it is the slow part of opening the first PDF. */
function ensureWorker(): void {
  if (worker) return
  worker = new PdfWorker()
  GlobalWorkerOptions.workerPort = worker
}

class PdfjsDocument implements PdfDocumentHandle {
  readonly #doc: PDFDocumentProxy
  #task: RenderTask | null = null

  constructor(doc: PDFDocumentProxy) {
    this.#doc = doc
  }

  get pageCount(): number {
    return this.#doc.numPages
  }

  async pageSize(pageNumber: number) {
    const viewport = (await this.#doc.getPage(pageNumber)).getViewport({ scale: 1 })
    return { width: viewport.width, height: viewport.height }
  }

  async render(pageNumber: number, canvas: HTMLCanvasElement, scale: number, signal: AbortSignal) {
    const page = await this.#doc.getPage(pageNumber)
    // Overtaken while the page loaded: the canvas belongs to the newer request, leave it alone.
    if (signal.aborted) throw cancelled()
    const ratio = window.devicePixelRatio || 1
    const viewport = page.getViewport({ scale: scale * ratio })
    canvas.width = Math.floor(viewport.width)
    canvas.height = Math.floor(viewport.height)
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`
    canvas.style.height = `${Math.floor(viewport.height / ratio)}px`
    const task = page.render({ canvas, viewport })
    this.#task = task
    const cancel = () => task.cancel()
    signal.addEventListener('abort', cancel, { once: true })
    try {
      await task.promise
    } catch (error) {
      if (signal.aborted || (error instanceof Error && error.name === 'RenderingCancelledException'))
        throw cancelled()
      throw new PdfUnreadableError()
    } finally {
      signal.removeEventListener('abort', cancel)
      if (this.#task === task) this.#task = null
    }
  }

  async destroy(): Promise<void> {
    this.#task?.cancel()
    await this.#doc.loadingTask.destroy()
  }
}

function cancelled(): DOMException {
  return new DOMException('The page render was replaced by a newer one', 'AbortError')
}

export const pdfjsEngine: PdfEngine = {
  prepare: ensureWorker,
  open: async (bytes) => {
    ensureWorker()
    const task = getDocument({
      data: bytes,
      useWasm: false,
      useWorkerFetch: false,
      stopAtErrors: false,
      enableXfa: false,
      // Nothing below is fetched from anywhere.
      disableRange: true,
      disableStream: true,
      disableAutoFetch: true,
    })
    try {
      return new PdfjsDocument(await task.promise)
    } catch {
      await task.destroy()
      throw new PdfUnreadableError()
    }
  },
}
