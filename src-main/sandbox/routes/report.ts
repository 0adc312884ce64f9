/**
 * Report submission. The text is stored as-is and must be at most 2 097 152 bytes in UTF-8;
 * reportStatus is preliminary or final in any letter case; every submission that takes effect
 * overwrites the appointment's report (a preliminary then a final, or a corrected final), gets a new
 * reportGuid, and shows on the appointment view as `report`. Answers 200 with the reference's body.
 * Without an Idempotency-Key every POST is a new submission, duplicates included, as documented.
 */
import { z } from 'zod'
import type { Route, RouteContext } from '../context'
import type { Reply } from '../http-io'
import { badRequest, issuesToErrors } from '../problem'
import { isoSeconds } from '../seed'
import { APPOINTMENTS_BASE } from './appointments'
import { MAX_REPORT_TEXT_BYTES, type PostInput, idempotentPost } from './idempotent-post'

export { MAX_REPORT_TEXT_BYTES }

export const submitReportSchema = z.object({
  reportText: z
    .string()
    .min(1, 'reportText is required')
    .refine(
      (text) => Buffer.byteLength(text, 'utf8') <= MAX_REPORT_TEXT_BYTES,
      `reportText must be ${MAX_REPORT_TEXT_BYTES} bytes or less when UTF-8 encoded`,
    ),
  reportStatus: z
    .string()
    .transform((status) => status.toLowerCase())
    .pipe(z.enum(['preliminary', 'final'])),
  reportFormat: z.string().min(1).max(255).nullish(),
  interpretingClinicianName: z.string().max(255).nullish(),
  // The reference gives the provider number no length limit; the body bound above is the only one.
  interpretingClinicianProviderNumber: z.string().nullish(),
  interpretingClinicianEmail: z.string().max(320).nullish(),
  reportedAtUtc: z.iso.datetime({ offset: true }).nullish(),
})

function submitReport(context: RouteContext, input: PostInput): Reply {
  const parsed = submitReportSchema.safeParse(input.body)
  if (!parsed.success) throw badRequest('The report is not valid.', issuesToErrors(parsed.error.issues))
  const { deps } = context
  const request = parsed.data
  const reportedAtUtc = isoSeconds(request.reportedAtUtc ? Date.parse(request.reportedAtUtc) : deps.now())
  const previous = input.appointment.report
  const report = {
    reportGuid: deps.random.uuid(),
    reportStatus: request.reportStatus,
    reportedAtUtc,
    reportFormat: request.reportFormat ?? 'text/plain',
    submittedAtUtc: isoSeconds(deps.now()),
    reportTextBytes: Buffer.byteLength(request.reportText, 'utf8'),
    submissions: (previous?.submissions ?? 0) + 1,
  }
  input.appointment.report = report
  input.appointment.reportText = request.reportText
  deps.effects.record({
    kind: 'report',
    domain: input.domain.name,
    appointmentId: input.appointment.id,
    idempotencyKey: input.idempotencyKey,
    payloadSha256: input.payloadSha256,
    reportStatus: report.reportStatus,
    guid: report.reportGuid,
  })
  deps.logger.info('report stored', { appointmentId: input.appointment.id, status: report.reportStatus })
  if (deps.finalReportLeavesPending && report.reportStatus === 'final')
    input.appointment.status = 'AUTHORISED'
  return {
    status: 200,
    json: {
      reportGuid: report.reportGuid,
      reportStatus: report.reportStatus,
      reportedAtUtc: report.reportedAtUtc,
    },
  }
}

export const reportRoutes: readonly Route[] = [
  {
    method: 'POST',
    template: `${APPOINTMENTS_BASE}/{appointmentId}/report`,
    auth: 'bearer',
    handle: (context) => idempotentPost(context, 'report', (input) => submitReport(context, input)),
  },
]
