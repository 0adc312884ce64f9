import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { AttachmentsPanel } from '../../src-renderer/src/features/attachments'
import type { PdfDocumentHandle, PdfEngine } from '../../src-renderer/src/features/attachments/pdf-engine'
import { attachment, installFakeQubs, PDF_BYTES } from './attachments-fixtures'

const FILE = 'referral.pdf'
const CANVAS_BUSY =
  'Cannot use the same canvas during multiple render() operations. Use different canvas or ensure previous operations were cancelled or completed.'

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Behaves as pdf.js does where it matters here: a page is loaded (getPage) before anything touches
 * the canvas, drawing takes a while, and a second render on a canvas whose render has not settled
 * rejects at once with pdf.js's own error. An aborted render settles as cancelled.
 */
function contendedPdfEngine(pageCount = 3) {
  const drawn: { page: number; scale: number }[] = []
  const contention: number[] = []
  const busy = new WeakSet<HTMLCanvasElement>()
  const handle: PdfDocumentHandle = {
    pageCount,
    pageSize: async () => ({ width: 600, height: 800 }),
    render: async (page, canvas, scale, signal) => {
      await later(15) // getPage
      if (signal?.aborted) throw new DOMException('cancelled', 'AbortError')
      if (busy.has(canvas)) {
        contention.push(page)
        throw new Error(CANVAS_BUSY)
      }
      busy.add(canvas)
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 40)
          signal?.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(new DOMException('cancelled', 'AbortError'))
          })
        })
        drawn.push({ page, scale })
      } finally {
        busy.delete(canvas)
      }
    },
    destroy: async () => undefined,
  }
  const engine: PdfEngine = { prepare: () => undefined, open: async () => handle }
  return { engine, drawn, contention }
}

describe('PDF paging while pages are still loading', () => {
  let fake: Awaited<ReturnType<typeof installFakeQubs>> | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  /** Opens the file in the panel's viewer, drawn by `engine`, and waits for its first page. */
  async function openWith(engine: PdfEngine) {
    fake = await installFakeQubs(
      { 'demo/A1': [{ view: attachment('g1', FILE), bytes: PDF_BYTES }] },
      { pdf: engine },
    )
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: FILE }))
  }

  it('at an explicit zoom, fast PageDowns never render twice on one canvas and end on the last page', async () => {
    const pdf = contendedPdfEngine()
    await openWith(pdf.engine)
    await screen.findByText('Page 1 of 3')
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }))
    const viewer = screen.getByLabelText(`PDF viewer: ${FILE}`)
    viewer.focus()
    // Faster than a page loads: each press lands while the previous page is still on its way.
    await userEvent.keyboard('{PageDown}{PageDown}')
    expect(screen.getByText('Page 3 of 3')).toBeTruthy()
    await waitFor(() => expect(pdf.drawn.at(-1)).toEqual({ page: 3, scale: 1.25 }))
    await later(100)
    expect(pdf.contention).toEqual([])
    expect(screen.queryByRole('alert')).toBeNull()
    expect(pdf.drawn.at(-1)).toEqual({ page: 3, scale: 1.25 })
    expect(screen.getByRole('img', { name: 'Page 3 of 3' })).toBeTruthy()
  })

  it('counts every press when two arrive before the viewer re-rendered', async () => {
    const pdf = contendedPdfEngine()
    await openWith(pdf.engine)
    await screen.findByText('Page 1 of 3')
    const viewer = screen.getByLabelText(`PDF viewer: ${FILE}`)
    // Both in one task, as a held key can deliver them: React has not re-rendered in between.
    act(() => {
      for (let press = 0; press < 2; press++)
        viewer.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }))
    })
    expect(screen.getByText('Page 3 of 3')).toBeTruthy()
    act(() => {
      for (let press = 0; press < 5; press++)
        viewer.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true }))
    })
    expect(screen.getByText('Page 1 of 3')).toBeTruthy()
    await waitFor(() => expect(pdf.drawn.at(-1)).toMatchObject({ page: 1 }))
  })

  it('a genuine render failure is still reported as unreadable', async () => {
    const broken: PdfDocumentHandle = {
      pageCount: 2,
      pageSize: async () => ({ width: 600, height: 800 }),
      render: async () => {
        throw new Error('bad XRef entry')
      },
      destroy: async () => undefined,
    }
    await openWith({ prepare: () => undefined, open: async () => broken })
    expect((await screen.findByRole('alert')).textContent).toContain('could not be read')
  })
})
