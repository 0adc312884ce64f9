import './zod-setup'
import { z } from 'zod'
import { AppInfoSchema, ConnectivitySchema } from './schemas'
import {
  AppointmentKeySchema,
  AppointmentViewSchema,
  AttachmentChunkSchema,
  AttachmentDownloadSchema,
  AttachmentViewSchema,
  CacheKeySchema,
  CommentViewSchema,
  NewCommentSchema,
  SiteViewSchema,
  WorklistChunkSchema,
  WorklistProgressSchema,
  WorklistRefreshSchema,
} from './reporting-schemas'
import {
  OutboxChangedSchema,
  OutboxEntryIdSchema,
  OutboxEntryViewSchema,
  OutboxExportSchema,
} from './outbox-schemas'
import { SettingsPatchSchema, SettingsViewSchema } from './settings-schemas'
import { NewReportAttachmentSchema, NewReportSchema } from './report-schemas'

const domainArg = AppointmentKeySchema.shape.domain
const appointmentIdArg = AppointmentKeySchema.shape.appointmentId
const guidArg = z.string().min(1).max(512)
const transferIdArg = z.string().min(1).max(64)
const indexArg = z.number().int().nonnegative().max(1_000_000)

/**
 * The whole IPC surface in one table. Each capability names its channel, the schema of its arguments
 * (a tuple, checked in the preload before sending and again in main on receipt) and the schema of its
 * result (checked in main before answering, so nothing outside the contract leaks to the page).
 */
export const CHANNEL_PREFIX = 'qubs:'

export const invokeContract = {
  getAppInfo: {
    channel: 'qubs:app:get-info',
    args: z.tuple([]),
    result: AppInfoSchema,
  },
  getConnectivity: {
    channel: 'qubs:sync:get-connectivity',
    args: z.tuple([]),
    result: ConnectivitySchema,
  },
  /** The key for the renderer's encrypted offline copy (IndexedDB); created in the vault on first use. */
  getCacheKey: {
    channel: 'qubs:cache:get-key',
    args: z.tuple([]),
    result: CacheKeySchema,
  },
  /**
   * Walks every page of every configured domain (progress as `worklistProgress` events) and keeps the
   * de-duplicated result in main, to be read with `getWorklistChunk`. One refresh at a time: a second
   * call while one runs joins it.
   */
  refreshWorklist: {
    channel: 'qubs:worklist:refresh',
    args: z.tuple([]),
    result: WorklistRefreshSchema,
  },
  getWorklistChunk: {
    channel: 'qubs:worklist:get-chunk',
    args: z.tuple([transferIdArg, indexArg]),
    result: WorklistChunkSchema,
  },
  /** The sites of every configured domain with their time zones (appointment times are site-local). */
  listSites: {
    channel: 'qubs:sites:list',
    args: z.tuple([]),
    result: z.array(SiteViewSchema),
  },
  /** Answers `not-found` when the appointment is gone or no longer pending reporting. */
  getAppointment: {
    channel: 'qubs:appointment:get',
    args: z.tuple([domainArg, appointmentIdArg]),
    result: AppointmentViewSchema,
  },
  listComments: {
    channel: 'qubs:comments:list',
    args: z.tuple([domainArg, appointmentIdArg]),
    result: z.array(CommentViewSchema),
  },
  /** Queues a comment or alert in the outbox (durable before it answers); delivery follows. */
  enqueueComment: {
    channel: 'qubs:comments:enqueue',
    args: z.tuple([domainArg, appointmentIdArg, NewCommentSchema]),
    result: OutboxEntryViewSchema,
  },
  listAttachments: {
    channel: 'qubs:attachments:list',
    args: z.tuple([domainArg, appointmentIdArg]),
    result: z.array(AttachmentViewSchema),
  },
  /**
   * Downloads one attachment in main (a fresh presigned URL is asked for whenever one expired) and
   * keeps its bytes briefly, to be read with `getAttachmentChunk`.
   */
  downloadAttachment: {
    channel: 'qubs:attachments:download',
    args: z.tuple([domainArg, appointmentIdArg, guidArg]),
    result: AttachmentDownloadSchema,
  },
  getAttachmentChunk: {
    channel: 'qubs:attachments:get-chunk',
    args: z.tuple([transferIdArg, indexArg]),
    result: AttachmentChunkSchema,
  },
  /** Every submission not yet purged, newest first, without PHI. */
  listOutbox: {
    channel: 'qubs:outbox:list',
    args: z.tuple([]),
    result: z.array(OutboxEntryViewSchema),
  },
  /** Sends a held entry again as a new submission (a new idempotency key); the old one is kept. */
  retryOutboxEntry: {
    channel: 'qubs:outbox:retry',
    args: z.tuple([OutboxEntryIdSchema]),
    result: OutboxEntryViewSchema,
  },
  /** Writes the entry's full content to a file only this user can read. Works for every state. */
  exportOutboxEntry: {
    channel: 'qubs:outbox:export',
    args: z.tuple([OutboxEntryIdSchema]),
    result: OutboxExportSchema,
  },
  /** Only for a held entry that was exported: its text is then dropped from the outbox. */
  discardOutboxEntry: {
    channel: 'qubs:outbox:discard',
    args: z.tuple([OutboxEntryIdSchema]),
    result: OutboxEntryViewSchema,
  },
  /** The person's settings with where each value came from (default, the person, the environment). */
  getSettings: {
    channel: 'qubs:settings:get',
    args: z.tuple([]),
    result: SettingsViewSchema,
  },
  /** A partial change, validated whole and durable before it answers; `refused` for env-fixed fields. */
  updateSettings: {
    channel: 'qubs:settings:update',
    args: z.tuple([SettingsPatchSchema]),
    result: SettingsViewSchema,
  },
  /** Asks the sync engine to try now (the person pressed "Sync now"). */
  syncNow: {
    channel: 'qubs:sync:now',
    args: z.tuple([]),
    result: z.null(),
  },
  /**
   * Queues a report in the outbox (durable before it answers). The same `submissionKey` again answers
   * the entry already queued; a final queued after a preliminary is delivered after it.
   */
  enqueueReport: {
    channel: 'qubs:reports:enqueue',
    args: z.tuple([domainArg, appointmentIdArg, NewReportSchema]),
    result: OutboxEntryViewSchema,
  },
  /** Queues one report file (PDF / DICOM SR, type checked by content in main); at most 20 per report. */
  enqueueReportAttachment: {
    channel: 'qubs:reports:enqueue-attachment',
    args: z.tuple([domainArg, appointmentIdArg, NewReportAttachmentSchema]),
    result: OutboxEntryViewSchema,
  },
} as const satisfies Record<string, InvokeSpec>

/** Events main pushes to the renderer. The renderer subscribes through `window.qubs.on`. */
export const eventContract = {
  connectivityChanged: {
    channel: 'qubs:event:connectivity',
    payload: ConnectivitySchema,
  },
  worklistProgress: {
    channel: 'qubs:event:worklist-progress',
    payload: WorklistProgressSchema,
  },
  /** An outbox entry changed state; the renderer re-reads the list. */
  outboxChanged: {
    channel: 'qubs:event:outbox-changed',
    payload: OutboxChangedSchema,
  },
  /** Settings changed (in this window, another, or main); the renderer applies them without a restart. */
  settingsChanged: {
    channel: 'qubs:event:settings-changed',
    payload: SettingsViewSchema,
  },
} as const satisfies Record<string, EventSpec>

export interface InvokeSpec {
  readonly channel: `qubs:${string}`
  readonly args: z.ZodTuple
  readonly result: z.ZodType
}

export interface EventSpec {
  readonly channel: `qubs:event:${string}`
  readonly payload: z.ZodType
}

export type InvokeName = keyof typeof invokeContract
export type EventName = keyof typeof eventContract
