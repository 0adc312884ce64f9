import { describe, expect, it } from 'vitest'
import { PDFDocument } from 'pdf-lib'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

const START = Date.UTC(2026, 2, 1, 0, 0, 0)
const sandbox = await sandboxForFile({ appointments: 40, now: () => START })
const token = await getToken(sandbox)
const [appointmentId] = sandbox.admin.pendingAppointmentIds('demo', 1)
const base = reporting('demo', `/${appointmentId}/attachments`)

interface Attachment {
  guid: string
  category: string
  fileName: string
  url: string | null
  urlExpiresAtUtc: string | null
}

const expiryOf = async (query: string) => {
  const list = await api<Attachment[]>(sandbox, token, `${base}${query}`)
  expect(list.status).toBe(200)
  return list.body[0]?.urlExpiresAtUtc
}

describe('attachments', () => {
  it('lists attachments with presigned URLs that default to 900 seconds', async () => {
    const list = await api<Attachment[]>(sandbox, token, base)
    expect(list.body.length).toBeGreaterThan(0)
    expect(list.body[0]?.category).toBe('Referral')
    expect(await expiryOf('')).toBe(new Date(START + 900_000).toISOString().replace('.000Z', 'Z'))
  })

  it('honours urlTtlSeconds and clamps it into 60..3600', async () => {
    const iso = (seconds: number) => new Date(START + seconds * 1000).toISOString().replace('.000Z', 'Z')
    expect(await expiryOf('?urlTtlSeconds=120')).toBe(iso(120))
    expect(await expiryOf('?urlTtlSeconds=5')).toBe(iso(60))
    expect(await expiryOf('?urlTtlSeconds=999999')).toBe(iso(3600))
    expect(await expiryOf('?urlTtlSeconds=-3')).toBe(iso(60))
    expect((await api(sandbox, token, `${base}?urlTtlSeconds=soon`)).status).toBe(400)
  })

  it('serves a real PDF at the URL, inline by default and as attachment on request', async () => {
    const inline = await api<Attachment[]>(sandbox, token, base)
    const url = inline.body[0]?.url as string
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(response.headers.get('content-disposition')).toBe('inline; filename="referral.pdf"')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(Buffer.from(bytes.slice(0, 5)).toString('latin1')).toBe('%PDF-')
    const pdf = await PDFDocument.load(bytes)
    expect(pdf.getPageCount()).toBe(1)
    const asFile = await api<Attachment[]>(sandbox, token, `${base}?disposition=attachment`)
    const download = await fetch(asFile.body[0]?.url as string)
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="referral.pdf"')
    // Same attachment, same bytes: rendering is deterministic.
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
    expect((await api(sandbox, token, `${base}?disposition=download`)).status).toBe(400)
  })

  it('gets one attachment by guid, and 404 for an unknown guid', async () => {
    const list = await api<Attachment[]>(sandbox, token, base)
    const first = list.body[0] as Attachment
    const one = await api<Attachment>(
      sandbox,
      token,
      `${base}/${first.guid}?urlTtlSeconds=300&disposition=attachment`,
    )
    expect(one.status).toBe(200)
    expect(one.body.guid).toBe(first.guid)
    expect(one.body.urlExpiresAtUtc).toBe(new Date(START + 300_000).toISOString().replace('.000Z', 'Z'))
    expect((await api(sandbox, token, `${base}/00000000-0000-4000-8000-000000000000`)).status).toBe(404)
  })

  it('refuses an expired or tampered content URL with 403', async () => {
    const list = await api<Attachment[]>(sandbox, token, `${base}?urlTtlSeconds=60`)
    const url = list.body[0]?.url as string
    const tampered = url.slice(0, -3) + (url.endsWith('AAA') ? 'BBB' : 'AAA')
    expect((await rawRequest(tampered)).status).toBe(403)
    sandbox.admin.advanceClock(60_000)
    const expired = await rawRequest(url)
    expect(expired.status).toBe(403)
    expect(JSON.parse(expired.body.toString('utf8'))).toMatchObject({ status: 403 })
  })
})
