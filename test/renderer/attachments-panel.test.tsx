import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AttachmentsPanel } from '../../src-renderer/src/features/attachments'
import { attachment, installFakeQubs, PDF_BYTES, PNG_BYTES } from './attachments-fixtures'

const PATIENT_FILE = 'CANARY-Smith-referral.pdf'

describe('attachments panel', () => {
  let fake: Awaited<ReturnType<typeof installFakeQubs>> | undefined
  const created: string[] = []
  const revoked: string[] = []

  beforeEach(() => {
    // jsdom has no blob: URLs; count them to check every one is revoked.
    URL.createObjectURL = vi.fn(() => {
      const url = `blob:test/${created.length}`
      created.push(url)
      return url
    })
    URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url))
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await fake?.close()
    fake = undefined
    created.length = 0
    revoked.length = 0
  })

  const panel = () => screen.getByRole('region', { name: 'Attachments' })
  const rowOf = (name: string) => screen.getByRole('button', { name }).closest('tr')!

  it('lists the attachments with category, added date and by, and which are cached', async () => {
    fake = await installFakeQubs({
      'demo/A1': [
        { view: attachment('g1', PATIENT_FILE), bytes: PDF_BYTES },
        { view: attachment('g2', 'worksheet.png'), bytes: PNG_BYTES },
      ],
    })
    await fake.services.source.ensureCached('demo', 'A1', attachment('g2', 'worksheet.png'))
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await screen.findByRole('button', { name: PATIENT_FILE })
    expect(within(panel()).getAllByText('Referral')).toHaveLength(2)
    expect(within(rowOf(PATIENT_FILE)).getByText('Jesse Chen')).toBeTruthy()
    await waitFor(() => expect(within(rowOf('worksheet.png')).getByText('cached')).toBeTruthy())
    expect(within(rowOf(PATIENT_FILE)).getByText('not cached')).toBeTruthy()
    expect(within(panel()).getByText('1 of 2 cached')).toBeTruthy()
    // pdf.js is made ready before the first click, for a quick first page.
    expect(fake.pdf.prepared).toBe(1)
  })

  it('shows the saved list offline and says so; a cached PDF opens, an uncached one explains without PHI', async () => {
    fake = await installFakeQubs({
      'demo/A1': [
        { view: attachment('g1', PATIENT_FILE), bytes: PDF_BYTES },
        { view: attachment('g2', 'other.pdf'), bytes: PDF_BYTES },
      ],
    })
    await fake.services.source.rememberList('demo', 'A1', [
      attachment('g1', PATIENT_FILE),
      attachment('g2', 'other.pdf'),
    ])
    await fake.services.source.ensureCached('demo', 'A1', attachment('g1', PATIENT_FILE))
    fake.setConnectivity('offline')
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await screen.findByText('Saved copy — QUBS not reachable')
    await userEvent.click(screen.getByRole('button', { name: PATIENT_FILE }))
    expect(await screen.findByText('Page 1 of 3')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'other.pdf' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('not cached on this workstation')
    expect(alert.textContent).not.toContain('other.pdf')
    expect(alert.textContent).not.toContain('CANARY')
  })

  it('opens a PDF with page navigation (buttons and PageUp/PageDown) and zoom (buttons and Ctrl+=/−)', async () => {
    // jsdom lays nothing out: give the page area the width that fits a 600 px page at 100 %.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(624)
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', PATIENT_FILE), bytes: PDF_BYTES }] })
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: PATIENT_FILE }))
    await screen.findByText('Page 1 of 3')
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }))
    expect(screen.getByText('Page 2 of 3')).toBeTruthy()
    const viewer = screen.getByLabelText(`PDF viewer: ${PATIENT_FILE}`)
    viewer.focus()
    await userEvent.keyboard('{PageDown}')
    expect(screen.getByText('Page 3 of 3')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveProperty('disabled', true)
    await userEvent.keyboard('{PageUp}{PageUp}')
    expect(screen.getByText('Page 1 of 3')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }))
    await waitFor(() => expect(screen.getByTestId('pdf-zoom-indicator').textContent).toBe('125 %'))
    viewer.focus()
    await userEvent.keyboard('{Control>}={/Control}')
    await waitFor(() => expect(screen.getByTestId('pdf-zoom-indicator').textContent).toBe('150 %'))
    await userEvent.keyboard('{Control>}-{/Control}{Control>}-{/Control}')
    await waitFor(() => expect(screen.getByTestId('pdf-zoom-indicator').textContent).toBe('100 %'))
    await waitFor(() => expect(fake!.pdf.renders.at(-1)).toEqual({ page: 1, scale: 1 }))
    // The file opened once from the download: the cache holds it now.
    expect(await fake.cache.read('demo', 'A1', 'g1')).not.toBeNull()
  })

  it('says QUBS has no content yet for a listed file without one, not "try again"', async () => {
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', PATIENT_FILE), bytes: null }] })
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: PATIENT_FILE }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('QUBS has no content for this file yet')
    expect(alert.textContent).not.toContain('could not be')
    expect(alert.textContent).not.toContain('CANARY')
    // The list says so too, instead of a plain "not cached" that invites trying again.
    await waitFor(() => expect(within(rowOf(PATIENT_FILE)).getByText('no content yet')).toBeTruthy())
  })

  it('reads the error code of a QubsIpcError made by another bundle (the harness bridge), not only its own class', async () => {
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', PATIENT_FILE), bytes: null }] })
    // The bridge's copy of the contract: same name and fields, a different class than the renderer's.
    class ForeignQubsIpcError extends Error {
      readonly code = 'no-content'
      readonly requestId = 'req-7'
      override readonly name = 'QubsIpcError'
    }
    vi.mocked(fake.methods.downloadAttachment!).mockRejectedValue(new ForeignQubsIpcError('no content'))
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: PATIENT_FILE }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('QUBS has no content for this file yet')
    expect(alert.textContent).toContain('request req-7')
  })

  it('keeps the shown file from eviction while it is open', async () => {
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', PATIENT_FILE), bytes: PDF_BYTES }] })
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: PATIENT_FILE }))
    await screen.findByText('Page 1 of 3')
    expect(await fake.cache.evictToCap(0)).toEqual([])
    await userEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(await fake.cache.evictToCap(0)).toHaveLength(1)
  })

  it('shows an image natively from a blob: URL judged by content, and revokes it when closed', async () => {
    // Named .pdf but it is a PNG: the bytes decide.
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', 'scan.pdf'), bytes: PNG_BYTES }] })
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: 'scan.pdf' }))
    const image = await screen.findByRole('img', { name: 'scan.pdf' })
    expect(image.getAttribute('src')).toBe(created[0])
    expect(vi.mocked(URL.createObjectURL).mock.calls[0]![0]).toHaveProperty('type', 'image/png')
    expect(fake.pdf.opened).toHaveLength(0)
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('img')).toBeNull())
    expect(revoked).toEqual(created)
  })

  it('offers anything else for saving under its file name', async () => {
    const tiff = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 1, 2, 3, 4])
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', 'scan.tif'), bytes: tiff }] })
    const clicks: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicks.push(this.download)
    })
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    await userEvent.click(await screen.findByRole('button', { name: 'scan.tif' }))
    expect(await screen.findByText(/cannot be shown here/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Save file' }))
    expect(clicks).toEqual(['scan.tif'])
    click.mockRestore()
  })

  it('says plainly when the list cannot be fetched and nothing is cached, and tries again on request', async () => {
    fake = await installFakeQubs({ 'demo/A1': [{ view: attachment('g1', PATIENT_FILE), bytes: PDF_BYTES }] })
    fake.setConnectivity('offline')
    render(<AttachmentsPanel domain="demo" appointmentId="A1" />)
    const alert = await within(await screen.findByRole('region', { name: 'Attachments' })).findByRole('alert')
    expect(alert.textContent).toContain('QUBS cannot be reached')
    fake.setConnectivity('online')
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('button', { name: PATIENT_FILE })).toBeTruthy()
  })
})
