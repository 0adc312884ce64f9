/**
 * Report attachments: POST creates attachment metadata and presigned upload URLs; the PUT to an
 * upload URL stores the bytes.
 *
 * POST rules from the reference: 1 to 20 items; fileName at most 255 characters, path segments
 * stripped, a fallback name when empty; contentType, when given, application/pdf or application/dicom;
 * URLs valid 15 minutes; keys kept 15 minutes. Metadata exists at once (the attachment list shows it
 * with a null url) and content only after the PUT succeeds.
 *
 * PUT rules: a single PUT with Content-Length (411 without), at most 2 MiB (413), the declared
 * Content-Type when one was declared (403, as a signed header would be), before the URL expires (403).
 * Our choice where the reference is silent: repeating the PUT with the same bytes after success is a
 * harmless 200 (so a client whose answer was lost can retry), different bytes are 409.
 */
import { z } from 'zod'
import type { Route, RouteContext } from '../context'
import { param, principalOf } from '../context'
import { type Reply, mediaType, readBody, sha256Hex } from '../http-io'
import { HttpProblem, badRequest, issuesToErrors, notFound } from '../problem'
import { isoSeconds } from '../seed'
import type { ReportAttachmentRecord } from '../store'
import { APPOINTMENTS_BASE } from './appointments'
import { presignProblem } from './attachments'
import { integrationUser } from './comments'
import { type PostInput, idempotentPost } from './idempotent-post'

export const MAX_UPLOAD_ITEMS = 20
export const MAX_FILE_NAME_LENGTH = 255
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024
export const UPLOAD_URL_TTL_SECONDS = 15 * 60
const REPORT_CONTENT_TYPES = ['application/pdf', 'application/dicom'] as const

const uploadItemSchema = z.object({
  fileName: z
    .string()
    .max(MAX_FILE_NAME_LENGTH, `fileName must be at most ${MAX_FILE_NAME_LENGTH} characters`)
    .nullish(),
  contentType: z
    .string()
    .transform((type) => type.toLowerCase())
    .pipe(z.enum(REPORT_CONTENT_TYPES, 'contentType must be application/pdf or application/dicom'))
    .nullish(),
  category: z.string().min(1).max(64).nullish(),
})

export const createUploadsSchema = z.object({
  items: z
    .array(uploadItemSchema)
    .min(1, 'items must hold at least one item')
    .max(MAX_UPLOAD_ITEMS, `items must hold at most ${MAX_UPLOAD_ITEMS} items`),
})

/** "Path segments are stripped; if empty, a fallback name is generated." */
export function cleanFileName(
  fileName: string | null | undefined,
  guid: string,
  contentType: string | null,
): string {
  const lastSegment = (fileName ?? '').split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const cleaned = lastSegment.replace(/[\x00-\x1f\x7f]/g, '').trim()
  if (cleaned !== '' && cleaned !== '.' && cleaned !== '..') return cleaned
  const extension =
    contentType === 'application/pdf' ? '.pdf' : contentType === 'application/dicom' ? '.dcm' : '.bin'
  return `report-attachment-${guid.slice(0, 8)}${extension}`
}

function createUploads(context: RouteContext, input: PostInput): Reply {
  const parsed = createUploadsSchema.safeParse(input.body)
  if (!parsed.success) {
    throw badRequest('The attachment request is not valid.', issuesToErrors(parsed.error.issues))
  }
  const { deps } = context
  const nowMs = deps.now()
  const expiresAtMs = (Math.floor(nowMs / 1000) + UPLOAD_URL_TTL_SECONDS) * 1000
  const addedBy = integrationUser(principalOf(context).clientId)
  const items = parsed.data.items.map((item) => {
    const guid = deps.random.uuid()
    const contentType = item.contentType ?? null
    const record: ReportAttachmentRecord = {
      guid,
      fileName: cleanFileName(item.fileName, guid, contentType),
      category: item.category ?? 'report',
      declaredContentType: contentType,
      addedDateTime: isoSeconds(nowMs),
      addedBy,
      uploadUrlExpiresAtMs: expiresAtMs,
      upload: null,
    }
    input.appointment.reportAttachments.push(record)
    deps.effects.record({
      kind: 'report-attachment',
      domain: input.domain.name,
      appointmentId: input.appointment.id,
      idempotencyKey: input.idempotencyKey,
      payloadSha256: input.payloadSha256,
      guid,
    })
    const token = deps.presigner.sign({
      op: 'upload',
      domain: input.domain.name,
      appointmentId: input.appointment.id,
      guid,
      expiresAtMs,
      contentType,
    })
    return {
      guid,
      fileName: record.fileName,
      category: record.category,
      ...(contentType ? { contentType } : {}),
      uploadUrl: `${deps.baseUrl()}/blobs/upload/${token}`,
      uploadUrlExpiresAtUtc: isoSeconds(expiresAtMs),
    }
  })
  deps.logger.info('upload urls created', { appointmentId: input.appointment.id, count: items.length })
  return { status: 201, json: { items } }
}

const ALLOWED_UNDECLARED_TYPES = new Set(['', 'application/octet-stream', ...REPORT_CONTENT_TYPES])

async function upload(context: RouteContext): Promise<Reply> {
  const { deps, req } = context
  const payload = deps.presigner.verify(param(context, 'token'))
  if (!payload || payload.op !== 'upload') throw presignProblem('The upload URL signature is not valid.')
  if (payload.expiresAtMs <= deps.now()) throw presignProblem('The upload URL has expired.', 'url-expired')
  const attachment = deps.store
    .domain(payload.domain)
    .appointment(payload.appointmentId)
    ?.reportAttachment(payload.guid)
  if (!attachment) throw notFound('No such report attachment.')
  if (req.headers['content-length'] === undefined) {
    throw new HttpProblem({
      status: 411,
      type: 'length-required',
      title: 'Length Required',
      detail: 'Upload with a single PUT that has a Content-Length.',
    })
  }
  const sentType = mediaType(req.headers['content-type'])
  const declared = attachment.declaredContentType
  if (declared !== null && sentType !== declared) {
    throw presignProblem(`The upload must be sent with Content-Type ${declared}.`, 'content-type-mismatch')
  }
  if (declared === null && !ALLOWED_UNDECLARED_TYPES.has(sentType)) {
    throw new HttpProblem({
      status: 415,
      type: 'unsupported-media-type',
      title: 'Unsupported Media Type',
      detail: 'Report attachments must be application/pdf or application/dicom.',
    })
  }
  const bytes = await readBody(req, MAX_UPLOAD_BYTES)
  if (bytes.length === 0) throw badRequest('The upload is empty.')
  const sha256 = sha256Hex(bytes)
  const headers = { ETag: `"${sha256}"` }
  if (attachment.upload) {
    if (deps.singleUsePutUrls) {
      throw presignProblem('This upload URL was already used; request a new URL.', 'url-used')
    }
    if (attachment.upload.sha256 === sha256) return { status: 200, headers }
    throw new HttpProblem({
      status: 409,
      type: 'already-uploaded',
      title: 'Conflict',
      detail: 'This upload URL was already used for other content; request a new URL.',
    })
  }
  const contentType = declared ?? (sentType === '' ? 'application/octet-stream' : sentType)
  attachment.upload = { bytes: new Uint8Array(bytes), sha256, contentType, at: isoSeconds(deps.now()) }
  deps.effects.record({
    kind: 'upload',
    domain: payload.domain,
    appointmentId: payload.appointmentId,
    idempotencyKey: null,
    payloadSha256: sha256,
    guid: attachment.guid,
  })
  deps.logger.info('upload stored', { appointmentId: payload.appointmentId, count: bytes.length })
  return { status: 200, headers }
}

export const reportAttachmentRoutes: readonly Route[] = [
  {
    method: 'POST',
    template: `${APPOINTMENTS_BASE}/{appointmentId}/report/attachments`,
    auth: 'bearer',
    handle: (context) =>
      idempotentPost(context, 'report-attachments', (input) => createUploads(context, input)),
  },
  { method: 'PUT', template: '/blobs/upload/{token}', auth: 'none', handle: upload },
]
