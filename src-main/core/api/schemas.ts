import { z } from 'zod'

/**
 * What QUBS answers, as zod schemas. Parsed leniently on purpose (see shared/api/notes.md "Known
 * unknowns"): unknown fields are kept (`looseObject`) so the appointment view can show them, fields the
 * docs mark "when available" may be absent or null, and only what the app cannot work without is
 * required (ids, the cursor, upload URLs). A body that fails these is an 'invalid-response' error.
 */
const text = z.string().nullish()
const flag = z.boolean().nullish()
const count = z.number().nullish()

/** A QUBS user reference (addedBy, commentBy, radiologistUser): shape partly undocumented. */
export const UserRefSchema = z.looseObject({
  username: text,
  firstName: text,
  initials: text,
  lastName: text,
  role: text,
})
export type UserRef = z.output<typeof UserRefSchema>

/** Fields shared by the pending list item and the single appointment view. */
const appointmentFields = {
  /** Filled in from the requested domain when the server leaves it out (see QubsClient). */
  domain: z.string().optional(),
  appointmentId: z.string().min(1),
  status: text,
  scheduledSite: text,
  appointmentDate: text,
  startTime: text,
  endTime: text,
  patientId: text,
  patientName: text,
  firstName: text,
  lastName: text,
  dateOfBirth: text,
  gender: text,
  modality: text,
  studyDescription: text,
  clinicalInfo: text,
  doctorName: text,
  clinicName: text,
  priority: text,
  reportNeededBy: text,
  studyInstanceUid: text,
  radiologistUser: UserRefSchema.nullish(),
  serviceItems: z.array(z.unknown()).nullish(),
}

export const PendingAppointmentSchema = z.looseObject(appointmentFields)
/** A pending appointment as the walk returns it: `domain` is always set. */
export type PendingAppointment = z.output<typeof PendingAppointmentSchema> & { readonly domain: string }

export const AppointmentSchema = z.looseObject(appointmentFields)
export type Appointment = z.output<typeof AppointmentSchema> & { readonly domain: string }

export const PendingPageSchema = z.looseObject({
  items: z.array(PendingAppointmentSchema),
  nextToken: z.string().nullish(),
})
export type PendingPageData = z.output<typeof PendingPageSchema>
export type PendingPageBody = z.output<typeof PendingPageSchema>

export const AttachmentSchema = z.looseObject({
  guid: z.string().min(1),
  category: text,
  fileName: text,
  addedDateTime: text,
  addedBy: UserRefSchema.nullish(),
  lastModifiedDateTime: text,
  lastModifiedBy: UserRefSchema.nullish(),
  url: text,
  urlExpiresAtUtc: text,
})
export type Attachment = z.output<typeof AttachmentSchema>
export const AttachmentListSchema = z.array(AttachmentSchema)

export const CommentSchema = z.looseObject({
  guid: z.string().min(1),
  commentType: text,
  appointmentId: text,
  patientId: text,
  commentText: text,
  commentDateTime: text,
  isAlert: flag,
  commentBy: UserRefSchema.nullish(),
  lastModifiedDateTime: text,
})
export type Comment = z.output<typeof CommentSchema>
export const CommentListSchema = z.array(CommentSchema)

export const ReportReceiptSchema = z.looseObject({
  reportGuid: z.string().min(1),
  reportStatus: text,
  reportedAtUtc: text,
})
export type ReportReceipt = z.output<typeof ReportReceiptSchema>

export const ReportAttachmentUploadSchema = z.looseObject({
  guid: z.string().min(1),
  fileName: text,
  category: text,
  uploadUrl: z.string().min(1),
  uploadUrlExpiresAtUtc: text,
})
export type ReportAttachmentUpload = z.output<typeof ReportAttachmentUploadSchema>

export const ReportAttachmentUrlsSchema = z.looseObject({
  items: z.array(ReportAttachmentUploadSchema),
})
export type ReportAttachmentUrls = z.output<typeof ReportAttachmentUrlsSchema>

export const SiteSchema = z.looseObject({
  domain: text,
  siteName: z.string().min(1),
})
export type Site = z.output<typeof SiteSchema>
export const SiteListSchema = z.array(SiteSchema)

/** Site settings: `timeZone` is what the app needs (local appointment times); the rest is kept as sent. */
export const SiteSettingsSchema = z.looseObject({
  domain: text,
  siteName: text,
  timeZone: text,
})
export type SiteSettings = z.output<typeof SiteSettingsSchema>

export const ExamCodeSchema = z.looseObject({
  examCodeId: z.union([z.string(), z.number()]),
  key: text,
  site: text,
  description: text,
  category: text,
  modality: text,
  totalDuration: count,
})
export type ExamCode = z.output<typeof ExamCodeSchema>
export const ExamCodeListSchema = z.array(ExamCodeSchema)
