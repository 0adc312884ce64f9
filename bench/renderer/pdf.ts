/**
 * First page of a cached 2 MB PDF (issue #14 §6). The harness serves the appointment's attachments
 * with one extra: the ≈2 MB referral of big-pdf.ts (the sandbox's own PDFs are a few KB). It is opened
 * once online, so the renderer caches it; then, offline after a relaunch, each round opens it again:
 * timed from the trusted click on the file to the frame after the viewer reports its first page drawn
 * (`data-rendered-count` leaves 0). The wrapper counts downloads: a second one means the figure did
 * not come from the cache, and the figure is refused.
 */
import { createHash } from 'node:crypto'
import { ATTACHMENT_CHUNK_BYTES, type ApiMethods, type AttachmentView } from '../../src-preload/contract'
import type { MetricResult } from '../results-schema'
import { summarize } from '../stats'
import type { PageGlobals } from './page-dom'
import { GRID, type RendererRig } from './rig'

export const BIG_PDF_GUID = '5a1e0000-0000-4000-8000-0000000b1620'
export const BIG_PDF_NAME = 'bench-referral-2mb.pdf'

export interface BigPdfServing {
  readonly wrap: (core: ApiMethods) => ApiMethods
  readonly downloads: () => number
}

export function serveBigPdf(appointmentId: string, bytes: Uint8Array): BigPdfServing {
  let downloads = 0
  const view: AttachmentView = {
    guid: BIG_PDF_GUID,
    category: 'Referral',
    fileName: BIG_PDF_NAME,
    addedDateTime: '2026-01-01T00:00:00Z',
    addedBy: null,
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
    lastModifiedBy: null,
    extra: {},
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  return {
    downloads: () => downloads,
    wrap: (core) => ({
      ...core,
      listAttachments: async (domain, id) => [
        ...(await core.listAttachments(domain, id)),
        ...(id === appointmentId ? [view] : []),
      ],
      downloadAttachment: async (domain, id, guid) => {
        if (guid !== BIG_PDF_GUID) return core.downloadAttachment(domain, id, guid)
        downloads += 1
        return {
          downloadId: BIG_PDF_GUID,
          byteLength: bytes.byteLength,
          sha256,
          contentType: 'application/pdf',
          chunkCount: Math.ceil(bytes.byteLength / ATTACHMENT_CHUNK_BYTES),
        }
      },
      getAttachmentChunk: async (downloadId, index) =>
        downloadId === BIG_PDF_GUID
          ? {
              downloadId,
              index,
              // Cut as main cuts a download: chunks of the contract's size, in order.
              bytes: bytes.slice(index * ATTACHMENT_CHUNK_BYTES, (index + 1) * ATTACHMENT_CHUNK_BYTES),
            }
          : core.getAttachmentChunk(downloadId, index),
    }),
  }
}

/** Filters the worklist to the appointment and opens its view (from the row's first button). */
export async function openAppointmentView(rig: RendererRig, appointmentId: string): Promise<void> {
  const { page } = rig
  await page.getByRole('searchbox', { name: 'Filter worklist' }).fill(appointmentId)
  await page.waitForFunction(
    (grid) =>
      (globalThis as unknown as PageGlobals).document.querySelector(grid)?.getAttribute('aria-rowcount') ===
      '2',
    GRID,
    { timeout: 30_000 },
  )
  await page
    .getByRole('grid', { name: 'Worklist' })
    .getByRole('row')
    .nth(1)
    .getByRole('button')
    .first()
    .click()
}

/** Opens the appointment; resolves when its attachments list the big PDF. */
export async function openAppointment(rig: RendererRig, appointmentId: string): Promise<void> {
  await openAppointmentView(rig, appointmentId)
  await rig.page
    .getByRole('region', { name: 'Attachments' })
    .getByRole('button', { name: BIG_PDF_NAME })
    .waitFor({ timeout: 30_000 })
}

async function openPdfTimed(rig: RendererRig): Promise<number> {
  const button = rig.page
    .getByRole('region', { name: 'Attachments' })
    .getByRole('button', { name: BIG_PDF_NAME })
  return rig.timed(
    {
      kind: 'attr',
      start: 'click',
      selector: '.attachment-pdf',
      attribute: 'data-rendered-count',
      ignore: '0',
      timeoutMs: 30_000,
    },
    () => button.click(),
  )
}

/** Online: opens the PDF once so the renderer downloads and caches it. */
export async function cacheBigPdf(rig: RendererRig, appointmentId: string): Promise<void> {
  await openAppointment(rig, appointmentId)
  await openPdfTimed(rig)
}

/** One offline round, after a cold start: open the appointment, then time the PDF's first page. */
export async function pdfFirstPageOnce(rig: RendererRig, appointmentId: string): Promise<number> {
  await openAppointment(rig, appointmentId)
  return openPdfTimed(rig)
}

export function pdfResult(
  times: readonly number[],
  serving: BigPdfServing,
  byteLength: number,
): MetricResult {
  if (serving.downloads() !== 1) {
    return {
      status: 'not-measured',
      reason: `the PDF was downloaded ${serving.downloads()} times, so the timed opens were not all from the cache`,
    }
  }
  const summary = summarize(times)
  return {
    status: 'measured',
    value: summary.median,
    samples: { open: summary },
    note: `${(byteLength / 2 ** 20).toFixed(2)} MiB PDF, median of ${times.length} offline opens after relaunch`,
  }
}
