import { describe, expect, it } from 'vitest'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

const sandbox = await sandboxForFile({ appointments: 40 })
const token = await getToken(sandbox)
const ids = sandbox.admin.pendingAppointmentIds('demo', 12)

interface UploadItem {
  guid: string
  fileName: string
  category: string
  uploadUrl: string
  uploadUrlExpiresAtUtc: string
}

const createUploads = (id: string, items: unknown[], headers: Record<string, string> = {}) =>
  api<{ items: UploadItem[] }>(sandbox, token, reporting('demo', `/${id}/report/attachments`), {
    json: { items },
    headers,
  })

const put = (url: string, body: Buffer, headers: Record<string, string>) =>
  rawRequest(url, { method: 'PUT', body, headers: { 'Content-Length': String(body.length), ...headers } })

const PDF = Buffer.from('%PDF-1.7\n% sandbox test upload\n%%EOF\n')

describe('report attachment upload URLs', () => {
  it('creates one guid and presigned URL per item, valid 15 minutes, with 201', async () => {
    const response = await createUploads(ids[0] as string, [
      { fileName: 'report.pdf', contentType: 'application/pdf', category: 'report' },
      { fileName: 'sr.dcm', contentType: 'application/dicom' },
    ])
    expect(response.status).toBe(201)
    expect(response.body.items).toHaveLength(2)
    const [first] = response.body.items
    expect(first).toMatchObject({ fileName: 'report.pdf', category: 'report' })
    const ttl = Date.parse(first?.uploadUrlExpiresAtUtc ?? '') - Date.now()
    expect(ttl).toBeGreaterThan(14 * 60_000)
    expect(ttl).toBeLessThanOrEqual(15 * 60_000)
    expect(new Set(response.body.items.map((i) => i.guid)).size).toBe(2)
  })

  it('accepts 20 items and rejects 21 and 0', async () => {
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ fileName: `r${i}.pdf`, contentType: 'application/pdf' }))
    expect((await createUploads(ids[1] as string, items(20))).status).toBe(201)
    expect((await createUploads(ids[1] as string, items(21))).status).toBe(400)
    expect((await createUploads(ids[1] as string, [])).status).toBe(400)
  })

  it('strips path segments, limits names to 255 characters and makes a fallback name when empty', async () => {
    const response = await createUploads(ids[2] as string, [
      { fileName: 'C:\\Users\\rad\\reports\\final.pdf', contentType: 'application/pdf' },
      { fileName: '/tmp/x/../sr.dcm', contentType: 'application/dicom' },
      { fileName: '', contentType: 'application/pdf' },
      { fileName: 'dir/', contentType: 'application/dicom' },
      { contentType: 'application/pdf' },
      { fileName: `${'n'.repeat(251)}.pdf` },
    ])
    expect(response.status).toBe(201)
    const names = response.body.items.map((i) => i.fileName)
    expect(names[0]).toBe('final.pdf')
    expect(names[1]).toBe('sr.dcm')
    expect(names[2]).toMatch(/^report-attachment-[0-9a-f]{8}\.pdf$/)
    expect(names[3]).toMatch(/^report-attachment-[0-9a-f]{8}\.dcm$/)
    expect(names[4]).toMatch(/\.pdf$/)
    expect(names[5]).toHaveLength(255)
    expect((await createUploads(ids[2] as string, [{ fileName: `${'n'.repeat(252)}.pdf` }])).status).toBe(400)
  })

  it('accepts only application/pdf and application/dicom as contentType', async () => {
    const bad = await createUploads(ids[3] as string, [{ fileName: 'x.png', contentType: 'image/png' }])
    expect(bad.status).toBe(400)
    expect(
      (bad.body as unknown as { errors: Record<string, string[]> }).errors['items.0.contentType'],
    ).toBeDefined()
  })

  it('shows new metadata at once with a null url, and content after the PUT', async () => {
    const id = ids[4] as string
    const created = await createUploads(id, [{ fileName: 'final.pdf', contentType: 'application/pdf' }])
    const item = created.body.items[0] as UploadItem
    const attachments = () =>
      api<{ guid: string; url: string | null; category: string }[]>(
        sandbox,
        token,
        reporting('demo', `/${id}/attachments`),
      )
    expect((await attachments()).body.find((a) => a.guid === item.guid)).toMatchObject({
      url: null,
      category: 'report',
    })
    const uploaded = await put(item.uploadUrl, PDF, { 'Content-Type': 'application/pdf' })
    expect(uploaded.status).toBe(200)
    const listed = (await attachments()).body.find((a) => a.guid === item.guid)
    expect(listed?.url).toBeTruthy()
    const content = await fetch(listed?.url as string)
    expect(Buffer.from(await content.arrayBuffer()).equals(PDF)).toBe(true)
    const kinds = sandbox.admin
      .effects()
      .filter((e) => e.appointmentId === id)
      .map((e) => e.kind)
    expect(kinds).toEqual(['report-attachment', 'upload'])
  })
})

describe('the upload PUT', () => {
  const fresh = async (index: number, contentType: string | null = 'application/pdf') => {
    const created = await createUploads(ids[index] as string, [
      contentType === null ? { fileName: 'x.pdf' } : { fileName: 'x.pdf', contentType },
    ])
    return created.body.items[0] as UploadItem
  }

  it('requires the declared Content-Type (403 otherwise)', async () => {
    const item = await fresh(5)
    expect((await put(item.uploadUrl, PDF, { 'Content-Type': 'application/octet-stream' })).status).toBe(403)
    expect((await put(item.uploadUrl, PDF, {})).status).toBe(403)
    expect((await put(item.uploadUrl, PDF, { 'Content-Type': 'application/pdf' })).status).toBe(200)
  })

  it('accepts up to 2 MiB and refuses more with 413', async () => {
    const item = await fresh(6)
    const tooBig = Buffer.alloc(2 * 1024 * 1024 + 1, 0x25)
    const refused = await put(item.uploadUrl, tooBig, { 'Content-Type': 'application/pdf' })
    expect(refused.status).toBe(413)
    const exact = Buffer.alloc(2 * 1024 * 1024, 0x25)
    expect((await put(item.uploadUrl, exact, { 'Content-Type': 'application/pdf' })).status).toBe(200)
  })

  it('requires a Content-Length: a chunked upload is 411', async () => {
    const item = await fresh(7)
    const chunked = await rawRequest(item.uploadUrl, {
      method: 'PUT',
      body: PDF,
      headers: { 'Content-Type': 'application/pdf', 'Transfer-Encoding': 'chunked' },
    })
    expect(chunked.status).toBe(411)
  })

  it('is a single PUT: the same bytes again are a harmless 200, other bytes 409', async () => {
    const item = await fresh(8)
    expect((await put(item.uploadUrl, PDF, { 'Content-Type': 'application/pdf' })).status).toBe(200)
    expect((await put(item.uploadUrl, PDF, { 'Content-Type': 'application/pdf' })).status).toBe(200)
    expect(
      (await put(item.uploadUrl, Buffer.from('%PDF-other'), { 'Content-Type': 'application/pdf' })).status,
    ).toBe(409)
    const uploads = sandbox.admin.effects().filter((e) => e.guid === item.guid && e.kind === 'upload')
    expect(uploads).toHaveLength(1)
  })

  it('without a declared type accepts pdf or dicom only', async () => {
    const item = await fresh(9, null)
    expect((await put(item.uploadUrl, PDF, { 'Content-Type': 'image/png' })).status).toBe(415)
    expect((await put(item.uploadUrl, PDF, { 'Content-Type': 'application/dicom' })).status).toBe(200)
  })

  it('expires with its URL (403 after 15 minutes) and refuses a tampered URL', async () => {
    const item = await fresh(10)
    expect((await put(`${item.uploadUrl}x`, PDF, { 'Content-Type': 'application/pdf' })).status).toBe(403)
    sandbox.admin.advanceClock(15 * 60_000)
    const expired = await put(item.uploadUrl, PDF, { 'Content-Type': 'application/pdf' })
    expect(expired.status).toBe(403)
    expect(JSON.parse(expired.body.toString('utf8'))).toMatchObject({
      type: expect.stringContaining('url-expired'),
    })
  })
})
