import './zod-setup'
import { z } from 'zod'
import { wellFormedText } from './text'

/**
 * The renderer's view of QUBS reporting data, as it crosses the IPC bridge. Main validates QUBS's
 * answers leniently on the wire (core/api/schemas.ts) and maps them into these strict shapes; fields
 * QUBS adds that the app does not know travel in `extra` so the appointment view can still show them.
 * Everything here except ids, domain, site, modality, priority and dates is PHI: the renderer encrypts
 * it before it reaches IndexedDB.
 */

const id = z.string().min(1).max(512)
const domain = z.string().min(1).max(128)
const maybeText = z.string().max(1_000_000).nullable()
/** Whatever JSON QUBS sent that we have no field for. Values are JSON (they came from a JSON body). */
const extra = z.record(z.string(), z.json())

export const UserRefViewSchema = z.object({
  username: maybeText,
  firstName: maybeText,
  lastName: maybeText,
  initials: maybeText,
  role: maybeText,
  extra,
})
export type UserRefView = z.infer<typeof UserRefViewSchema>

/** One pending appointment: the same shape for a worklist row and the full appointment view. */
export const AppointmentViewSchema = z.object({
  domain,
  appointmentId: id,
  status: maybeText,
  scheduledSite: maybeText,
  /** yyyy-MM-dd, local to the scheduled site. */
  appointmentDate: maybeText,
  /** HH:mm:ss, local to the scheduled site. */
  startTime: maybeText,
  endTime: maybeText,
  patientId: maybeText,
  patientName: maybeText,
  firstName: maybeText,
  lastName: maybeText,
  /** yyyy-MM-dd. */
  dateOfBirth: maybeText,
  gender: maybeText,
  modality: maybeText,
  studyDescription: maybeText,
  clinicalInfo: maybeText,
  doctorName: maybeText,
  clinicName: maybeText,
  priority: maybeText,
  /** UTC ISO 8601, when QUBS gave one. */
  reportNeededBy: maybeText,
  studyInstanceUid: maybeText,
  radiologistUser: UserRefViewSchema.nullable(),
  /** Undocumented shape: kept as sent. */
  serviceItems: z.array(z.json()).nullable(),
  extra,
})
export type AppointmentView = z.infer<typeof AppointmentViewSchema>

export const AppointmentKeySchema = z.object({ domain, appointmentId: id })
export type AppointmentKey = z.infer<typeof AppointmentKeySchema>

/** A worklist refresh walks every page of every configured domain; main keeps the result in chunks. */
export const WORKLIST_CHUNK_SIZE = 500

export const DomainRefreshResultSchema = z.object({
  domain,
  ok: z.boolean(),
  items: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  /** PHI-free; set when ok is false. */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      requestId: z.string().optional(),
      correlationId: z.string().optional(),
    })
    .optional(),
})
export type DomainRefreshResult = z.infer<typeof DomainRefreshResultSchema>

export const WorklistRefreshSchema = z.object({
  refreshId: id,
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  /** De-duplicated by (domain, appointmentId) across pages. */
  total: z.number().int().nonnegative(),
  chunkCount: z.number().int().nonnegative(),
  /** One per configured domain. A domain that failed keeps its cached rows in the renderer. */
  domains: z.array(DomainRefreshResultSchema),
})
export type WorklistRefresh = z.infer<typeof WorklistRefreshSchema>

export const WorklistChunkSchema = z.object({
  refreshId: id,
  index: z.number().int().nonnegative(),
  items: z.array(AppointmentViewSchema).max(WORKLIST_CHUNK_SIZE),
})
export type WorklistChunk = z.infer<typeof WorklistChunkSchema>

export const WorklistProgressSchema = z.object({
  refreshId: id,
  domain,
  pages: z.number().int().nonnegative(),
  items: z.number().int().nonnegative(),
  done: z.boolean(),
})
export type WorklistProgress = z.infer<typeof WorklistProgressSchema>

export const SiteViewSchema = z.object({
  domain,
  siteName: z.string().min(1).max(512),
  /** IANA zone (e.g. Australia/Sydney) when the site settings give one. */
  timeZone: z.string().max(128).nullable(),
})
export type SiteView = z.infer<typeof SiteViewSchema>

export const CommentTypeSchema = z.enum(['AC', 'AA', 'PC', 'PA'])
export type CommentType = z.infer<typeof CommentTypeSchema>

export const CommentViewSchema = z.object({
  guid: id,
  /** AC/AA appointment comment/alert, PC/PA patient comment/alert; null when QUBS sent another value. */
  commentType: CommentTypeSchema.nullable(),
  appointmentId: maybeText,
  patientId: maybeText,
  commentText: maybeText,
  commentDateTime: maybeText,
  isAlert: z.boolean(),
  commentBy: UserRefViewSchema.nullable(),
  lastModifiedDateTime: maybeText,
  extra,
})
export type CommentView = z.infer<typeof CommentViewSchema>

/**
 * What a person writes in the add-comment form; main validates it again and queues it in the outbox.
 * Strict: a field the contract does not know is refused, not silently dropped (a page sending more than
 * the form holds is a bug or an attack, and neither should be queued as if all were well).
 */
export const NewCommentSchema = z.strictObject({
  // The one text rule (text.ts): refused if it cannot be UTF-8, the leading BOM dropped, nothing else
  // changed — not even trimmed, so what is sent is what the person wrote.
  commentText: wellFormedText('commentText')
    .refine((text) => text.trim().length > 0, { error: 'comment text must not be blank' })
    .refine((text) => text.length <= 20_000, {
      error: 'comment text is too long (at most 20 000 characters)',
    }),
  /** Omitted: QUBS's default (AA when isAlert, otherwise AC). */
  commentType: CommentTypeSchema.optional(),
  isAlert: z.boolean(),
})
export type NewComment = z.input<typeof NewCommentSchema>

/** Attachment metadata. The presigned URL never reaches the renderer: main downloads the bytes. */
export const AttachmentViewSchema = z.object({
  guid: id,
  category: maybeText,
  fileName: maybeText,
  addedDateTime: maybeText,
  addedBy: UserRefViewSchema.nullable(),
  lastModifiedDateTime: maybeText,
  lastModifiedBy: UserRefViewSchema.nullable(),
  extra,
})
export type AttachmentView = z.infer<typeof AttachmentViewSchema>

/** Bytes cross in chunks so no single IPC message carries more than this. */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024

export const AttachmentDownloadSchema = z.object({
  downloadId: id,
  byteLength: z.number().int().nonnegative(),
  /** Lower-case hex SHA-256 of the whole file, so the renderer can check what it reassembled. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** From the response header, or sniffed from the content (`%PDF-`, PNG, JPEG…); never trusted alone. */
  contentType: z.string().max(255),
  chunkCount: z.number().int().nonnegative(),
})
export type AttachmentDownload = z.infer<typeof AttachmentDownloadSchema>

export const AttachmentChunkSchema = z.object({
  downloadId: id,
  index: z.number().int().nonnegative(),
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= ATTACHMENT_CHUNK_BYTES, {
    error: 'chunk too large',
  }),
})
export type AttachmentChunk = z.infer<typeof AttachmentChunkSchema>

/** The key that encrypts the renderer's offline copy; kept by main in the vault. */
export const CacheKeySchema = z.object({
  /** Changes when the key is replaced (after "wipe local data"): rows under another id are unreadable. */
  keyId: z.string().min(1).max(64),
  /** 32 bytes for AES-256-GCM; imported non-extractable and then dropped by the renderer. */
  rawKey: z
    .instanceof(Uint8Array)
    .refine((b) => b.byteLength === 32, { error: 'the cache key must be 32 bytes' }),
})
export type CacheKey = z.infer<typeof CacheKeySchema>
