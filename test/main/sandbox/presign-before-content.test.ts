import { describe, expect, it } from 'vitest'
import type { RunningSandbox } from '../../../src-main/sandbox'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

/**
 * `strictness.presignBeforeContent`: the reading of "url: presigned URL … when available" in which the
 * URL is available as soon as the metadata is (object storage presigns a GET without checking that the
 * object exists). The URL is then no proof of content: fetching it is 404 until the PUT has landed.
 */
const DOMAIN = 'demo'
const PDF = Buffer.from('%PDF-1.7\n% presigned before its content\n%%EOF\n')

interface UploadItem {
  readonly guid: string
  readonly uploadUrl: string
}
interface AttachmentView {
  readonly guid: string
  readonly url: string | null
  readonly urlExpiresAtUtc: string | null
}

const createUpload = (sandbox: RunningSandbox, token: string, id: string) =>
  api<{ items: UploadItem[] }>(sandbox, token, reporting(DOMAIN, `/${id}/report/attachments`), {
    json: { items: [{ fileName: 'report.pdf', contentType: 'application/pdf' }] },
  })

describe('sandbox option presignBeforeContent', () => {
  it('lists a report attachment with a url before its content exists; the url is 404 until the PUT', async () => {
    const sandbox = await sandboxForFile({ appointments: 10, strictness: { presignBeforeContent: true } })
    const token = await getToken(sandbox)
    const [id] = sandbox.admin.pendingAppointmentIds(DOMAIN, 1)
    const created = await createUpload(sandbox, token, id!)
    expect(created.status).toBe(201)
    const [item] = created.body.items
    const viewOf = async () =>
      (await api<AttachmentView>(sandbox, token, reporting(DOMAIN, `/${id}/attachments/${item!.guid}`))).body

    const before = await viewOf()
    expect(before.url).toEqual(expect.any(String))
    expect(before.urlExpiresAtUtc).toEqual(expect.any(String))
    expect((await rawRequest(before.url!, { method: 'GET' })).status).toBe(404)

    const put = await rawRequest(item!.uploadUrl, {
      method: 'PUT',
      body: PDF,
      headers: { 'Content-Type': 'application/pdf', 'Content-Length': String(PDF.length) },
    })
    expect(put.status).toBe(200)
    const after = await rawRequest((await viewOf()).url!, { method: 'GET' })
    expect(after.status).toBe(200)
    expect(Buffer.compare(after.body, PDF)).toBe(0)
  })

  it('is off by default: the url stays null until the content is uploaded', async () => {
    const sandbox = await sandboxForFile({ appointments: 10 })
    const token = await getToken(sandbox)
    const [id] = sandbox.admin.pendingAppointmentIds(DOMAIN, 1)
    const created = await createUpload(sandbox, token, id!)
    const guid = created.body.items[0]!.guid
    const view = await api<AttachmentView>(sandbox, token, reporting(DOMAIN, `/${id}/attachments/${guid}`))
    expect(view.body).toMatchObject({ guid, url: null, urlExpiresAtUtc: null })
  })
})
