/**
 * Appointment attachments: list and get with presigned content URLs, and the content URL itself.
 *
 * `urlTtlSeconds` is clamped into [60, 3600] (default 900) as the reference says out-of-range values
 * are; a value that is not an integer is a 400. `disposition` (inline, the default, or attachment)
 * becomes the Content-Disposition of the content URL. The list also shows report attachments created
 * through the upload endpoint; their url stays null until the upload PUT has succeeded (unless
 * `strictness.presignBeforeContent`: then a url from the start, whose content is 404 until the PUT).
 */
import { z } from 'zod'
import type { Route, RouteContext } from '../context'
import { param } from '../context'
import type { Reply } from '../http-io'
import { renderAttachmentPdf } from '../pdf'
import { HttpProblem, badRequest, issuesToErrors, notFound } from '../problem'
import { isoSeconds } from '../seed'
import type { UserRef } from '../seed-catalogue'
import type { AppointmentState, ReportAttachmentRecord } from '../store'
import { APPOINTMENTS_BASE } from './appointments'

export const URL_TTL_MIN_SECONDS = 60
export const URL_TTL_MAX_SECONDS = 3600
export const URL_TTL_DEFAULT_SECONDS = 900

const attachmentQuerySchema = z.object({
  urlTtlSeconds: z
    .string()
    .regex(/^-?\d{1,12}$/, 'urlTtlSeconds must be an integer')
    .transform(Number)
    .optional(),
  disposition: z.enum(['inline', 'attachment']).optional(),
})

interface UrlOptions {
  readonly ttlSeconds: number
  readonly disposition: 'inline' | 'attachment'
}

function urlOptions(context: RouteContext): UrlOptions {
  const query = attachmentQuerySchema.safeParse(Object.fromEntries(context.url.searchParams))
  if (!query.success)
    throw badRequest('The query parameters are not valid.', issuesToErrors(query.error.issues))
  const requested = query.data.urlTtlSeconds ?? URL_TTL_DEFAULT_SECONDS
  return {
    ttlSeconds: Math.min(URL_TTL_MAX_SECONDS, Math.max(URL_TTL_MIN_SECONDS, requested)),
    disposition: query.data.disposition ?? 'inline',
  }
}

interface AttachmentView {
  readonly guid: string
  readonly category: string
  readonly fileName: string
  readonly addedDateTime: string
  readonly addedBy: UserRef
  readonly lastModifiedDateTime: string
  readonly lastModifiedBy: UserRef
  readonly url: string | null
  readonly urlExpiresAtUtc: string | null
}

function presignedDownload(
  context: RouteContext,
  appointment: AppointmentState,
  guid: string,
  options: UrlOptions,
): { url: string; urlExpiresAtUtc: string } {
  const { deps } = context
  // Whole seconds, so the URL's expiry and urlExpiresAtUtc agree exactly.
  const expiresAtMs = (Math.floor(deps.now() / 1000) + options.ttlSeconds) * 1000
  const token = deps.presigner.sign({
    op: 'download',
    domain: appointment.seed.domain,
    appointmentId: appointment.id,
    guid,
    expiresAtMs,
    disposition: options.disposition,
  })
  return { url: `${deps.baseUrl()}/blobs/download/${token}`, urlExpiresAtUtc: isoSeconds(expiresAtMs) }
}

function attachmentViews(
  context: RouteContext,
  appointment: AppointmentState,
  options: UrlOptions,
): AttachmentView[] {
  const seeded = appointment.seed.attachments.map((a): AttachmentView => {
    const { available: _available, contentType: _contentType, ...fields } = a
    const link = a.available ? presignedDownload(context, appointment, a.guid, options) : null
    return { ...fields, url: link?.url ?? null, urlExpiresAtUtc: link?.urlExpiresAtUtc ?? null }
  })
  return [
    ...seeded,
    ...appointment.reportAttachments.map((a) => reportAttachmentView(context, appointment, a, options)),
  ]
}

function reportAttachmentView(
  context: RouteContext,
  appointment: AppointmentState,
  attachment: ReportAttachmentRecord,
  options: UrlOptions,
): AttachmentView {
  // Only the option presigns before the content exists: then the URL is no proof of content (404 until
  // the PUT landed), which a client must survive, since the reference does not promise otherwise.
  const presign = attachment.upload !== null || context.deps.presignBeforeContent
  const link = presign ? presignedDownload(context, appointment, attachment.guid, options) : null
  return {
    guid: attachment.guid,
    category: attachment.category,
    fileName: attachment.fileName,
    addedDateTime: attachment.addedDateTime,
    addedBy: attachment.addedBy,
    lastModifiedDateTime: attachment.upload?.at ?? attachment.addedDateTime,
    lastModifiedBy: attachment.addedBy,
    url: link?.url ?? null,
    urlExpiresAtUtc: link?.urlExpiresAtUtc ?? null,
  }
}

const pending = (context: RouteContext) =>
  context.deps.store.pendingAppointment(param(context, 'domain'), param(context, 'appointmentId'))

/** GET {base}/blobs/download/{token}: the bytes behind a presigned attachment URL. */
async function download(context: RouteContext): Promise<Reply> {
  const { deps } = context
  const payload = deps.presigner.verify(param(context, 'token'))
  if (!payload || payload.op !== 'download') throw presignProblem('The URL signature is not valid.')
  if (payload.expiresAtMs <= deps.now()) throw presignProblem('The URL has expired.', 'url-expired')
  const appointment = deps.store.domain(payload.domain).appointment(payload.appointmentId)
  if (!appointment) throw notFound('No such attachment.')
  const disposition = (fileName: string) =>
    `${payload.disposition ?? 'inline'}; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`
  const uploaded = appointment.reportAttachment(payload.guid)?.upload
  if (uploaded) {
    const fileName = appointment.reportAttachment(payload.guid)?.fileName ?? 'attachment'
    return {
      status: 200,
      bytes: uploaded.bytes,
      contentType: uploaded.contentType,
      headers: { 'Content-Disposition': disposition(fileName) },
    }
  }
  const seeded = appointment.seedAttachment(payload.guid)
  if (!seeded?.available) throw notFound('No such attachment.')
  const seed = appointment.seed
  const bytes = await deps.pdfs.get(seeded.guid, () =>
    renderAttachmentPdf({
      category: seeded.category,
      appointmentId: seed.appointmentId,
      patientName: seed.patientName,
      dateOfBirth: seed.dateOfBirth,
      patientId: seed.patientId,
      studyDescription: seed.studyDescription,
      clinicalInfo: seed.clinicalInfo,
      doctorName: seed.doctorName,
      clinicName: seed.clinicName,
      scheduledSite: seed.scheduledSite,
      appointmentDate: seed.appointmentDate,
    }),
  )
  return {
    status: 200,
    bytes,
    contentType: seeded.contentType,
    headers: { 'Content-Disposition': disposition(seeded.fileName) },
  }
}

/** Presigned URL failures are 403, as object stores answer them. */
export function presignProblem(detail: string, type = 'url-signature-invalid'): HttpProblem {
  return new HttpProblem({ status: 403, type, title: 'Forbidden', detail })
}

export const attachmentRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: `${APPOINTMENTS_BASE}/{appointmentId}/attachments`,
    auth: 'bearer',
    handle: (context): Reply => {
      const options = urlOptions(context)
      const { appointment } = pending(context)
      return { status: 200, json: attachmentViews(context, appointment, options) }
    },
  },
  {
    method: 'GET',
    template: `${APPOINTMENTS_BASE}/{appointmentId}/attachments/{attachmentGuid}`,
    auth: 'bearer',
    handle: (context): Reply => {
      const options = urlOptions(context)
      const { appointment } = pending(context)
      const guid = param(context, 'attachmentGuid')
      const view = attachmentViews(context, appointment, options).find((a) => a.guid === guid)
      if (!view) throw notFound('No such attachment for this appointment.')
      return { status: 200, json: view }
    },
  },
  { method: 'GET', template: '/blobs/download/{token}', auth: 'none', handle: download },
]
