import { STATUS_CODES } from 'node:http'
import type {
  AppointmentView,
  AttachmentView,
  CommentType,
  CommentView,
  OutboxEntryView,
  UserRefView,
} from '../../../src-preload/contract'
import type { Appointment, Attachment, Comment, PendingAppointment, UserRef } from '../api'
import type { OutboxEntrySummary } from '../outbox'

/**
 * Maps QUBS's lenient wire shapes (core/api/schemas.ts) to the strict views of the IPC contract:
 * every documented field present (null when QUBS left it out), everything else QUBS sent kept in
 * `extra` so the appointment view can still show it. The presigned URL of an attachment is dropped
 * here on purpose: the renderer never fetches from storage itself.
 */
type JsonValue = AppointmentView['extra'][string]
type Extra = Record<string, JsonValue>

const USER_FIELDS = ['username', 'firstName', 'lastName', 'initials', 'role'] as const
const APPOINTMENT_TEXT_FIELDS = [
  'status',
  'scheduledSite',
  'appointmentDate',
  'startTime',
  'endTime',
  'patientId',
  'patientName',
  'firstName',
  'lastName',
  'dateOfBirth',
  'gender',
  'modality',
  'studyDescription',
  'clinicalInfo',
  'doctorName',
  'clinicName',
  'priority',
  'reportNeededBy',
  'studyInstanceUid',
] as const
const COMMENT_TEXT_FIELDS = [
  'appointmentId',
  'patientId',
  'commentText',
  'commentDateTime',
  'lastModifiedDateTime',
] as const
const ATTACHMENT_TEXT_FIELDS = ['category', 'fileName', 'addedDateTime', 'lastModifiedDateTime'] as const
/** Wire fields that are never shown: the presigned URL is a credential for the storage host. */
const ATTACHMENT_HIDDEN = ['url', 'urlExpiresAtUtc'] as const
const COMMENT_TYPES: readonly string[] = ['AC', 'AA', 'PC', 'PA'] satisfies CommentType[]

export function toAppointmentView(item: Appointment | PendingAppointment): AppointmentView {
  return {
    domain: item.domain,
    appointmentId: item.appointmentId,
    ...texts(item, APPOINTMENT_TEXT_FIELDS),
    radiologistUser: toUserRef(item.radiologistUser),
    serviceItems: item.serviceItems ? item.serviceItems.map(toJson) : null,
    extra: extraOf(item, [
      'domain',
      'appointmentId',
      'radiologistUser',
      'serviceItems',
      ...APPOINTMENT_TEXT_FIELDS,
    ]),
  }
}

export function toCommentView(comment: Comment): CommentView {
  const commentType =
    comment.commentType && COMMENT_TYPES.includes(comment.commentType)
      ? (comment.commentType as CommentType)
      : null
  return {
    guid: comment.guid,
    commentType,
    ...texts(comment, COMMENT_TEXT_FIELDS),
    // QUBS's own rule when the flag is missing: AA and PA are the alert types.
    isAlert: comment.isAlert ?? (commentType === 'AA' || commentType === 'PA'),
    commentBy: toUserRef(comment.commentBy),
    extra: extraOf(comment, ['guid', 'commentType', 'isAlert', 'commentBy', ...COMMENT_TEXT_FIELDS]),
  }
}

export function toAttachmentView(attachment: Attachment): AttachmentView {
  return {
    guid: attachment.guid,
    ...texts(attachment, ATTACHMENT_TEXT_FIELDS),
    addedBy: toUserRef(attachment.addedBy),
    lastModifiedBy: toUserRef(attachment.lastModifiedBy),
    extra: extraOf(attachment, [
      'guid',
      'addedBy',
      'lastModifiedBy',
      ...ATTACHMENT_TEXT_FIELDS,
      ...ATTACHMENT_HIDDEN,
    ]),
  }
}

/** The outbox's PHI-free summary as the contract shows it (internal keys and results stay in main). */
export function toOutboxEntryView(summary: OutboxEntrySummary): OutboxEntryView {
  return {
    id: summary.id,
    kind: summary.kind,
    domain: summary.domain,
    appointmentId: summary.appointmentId,
    state: summary.state,
    reportStatus: summary.reportStatus,
    attempts: summary.attempts,
    heldReason: summary.heldReason,
    heldDetail: summary.heldDetail === null ? null : clip(summary.heldDetail, 2000),
    lastError: summary.lastError
      ? {
          code: clip(summary.lastError.code, 128),
          ...optionalField('status', summary.lastError.status),
          // Rows written before titles were reduced to reason phrases may hold server text: show the
          // status's phrase instead, whatever the row says.
          ...optionalField(
            'title',
            summary.lastError.status === undefined ? undefined : STATUS_CODES[summary.lastError.status],
          ),
          ...optionalField(
            'requestId',
            summary.lastError.requestId && clip(summary.lastError.requestId, 256),
          ),
          ...optionalField(
            'correlationId',
            summary.lastError.correlationId && clip(summary.lastError.correlationId, 256),
          ),
        }
      : null,
    blockedByHeld: summary.blockedByHeld,
    nextAttemptAt: summary.nextAttemptAt,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
    deliveredAt: summary.deliveredAt,
    exportedAt: summary.exportedAt,
    discardedAt: summary.discardedAt,
  }
}

function toUserRef(user: UserRef | null | undefined): UserRefView | null {
  if (!user) return null
  return { ...texts(user, USER_FIELDS), extra: extraOf(user, USER_FIELDS) }
}

function texts<K extends string>(
  source: Readonly<Partial<Record<K, string | null | undefined>>>,
  keys: readonly K[],
): Record<K, string | null> {
  const result = {} as Record<K, string | null>
  for (const key of keys) result[key] = source[key] ?? null
  return result
}

function extraOf(source: object, known: readonly string[]): Extra {
  const extra: Extra = {}
  for (const [key, value] of Object.entries(source)) {
    if (!known.includes(key) && value !== undefined) extra[key] = toJson(value)
  }
  return extra
}

/** Values came from a JSON body, so they are JSON already; anything else (never expected) becomes null. */
function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (Array.isArray(value)) return value.map(toJson)
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]))
  }
  return null
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function optionalField<K extends string, V>(key: K, value: V | undefined | ''): Partial<Record<K, V>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>)
}
