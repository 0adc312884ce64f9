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
import {
  ConnectionInputSchema,
  ConnectionSetupSchema,
  ConnectionTestSchema,
  DiagnosticsExportSchema,
  ImageViewerOpenedSchema,
  NotificationShownSchema,
  SupportInfoSchema,
  OutboxDrainProgressSchema,
  WorklistStaleSchema,
} from './setup-schemas'

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
  /** The connection in use and where each field came from; never the secret, only whether one is stored. */
  getConnectionSetup: {
    channel: 'qubs:setup:get',
    args: z.tuple([]),
    result: ConnectionSetupSchema,
  },
  /**
   * Gets a token and the first worklist page of each domain with a throwaway client (the running
   * services are not touched). Answers `{ ok: false, error }` in plain words rather than failing;
   * without `clientSecret` the stored one is used.
   */
  testConnection: {
    channel: 'qubs:setup:test',
    args: z.tuple([ConnectionInputSchema]),
    result: ConnectionTestSchema,
  },
  /**
   * Stores the connection (the secret in the vault) and re-opens the workstation on it in-process;
   * `refused` naming the fields fixed by the environment. Events follow so the page reloads.
   */
  saveConnection: {
    channel: 'qubs:setup:save',
    args: z.tuple([ConnectionInputSchema]),
    result: ConnectionSetupSchema,
  },
  /** Chooses the built-in demo sandbox (its own data directory) and re-opens the workstation on it. */
  useDemo: {
    channel: 'qubs:setup:use-demo',
    args: z.tuple([]),
    result: ConnectionSetupSchema,
  },
  /**
   * Opens the appointment's study in the PACS viewer from `settings.pacs.linkTemplate`, only to that
   * template's origin; `not-found` when the template needs a value the appointment lacks.
   */
  openImageViewer: {
    channel: 'qubs:pacs:open-viewer',
    args: z.tuple([domainArg, appointmentIdArg]),
    result: ImageViewerOpenedSchema,
  },
  /** "Copy support information": versions, mode, connection, outbox counts, last errors; no PHI. */
  getSupportInfo: {
    channel: 'qubs:support:get-info',
    args: z.tuple([]),
    result: SupportInfoSchema,
  },
  /** The same as a JSON file (with the settings, no secrets) in `<dataDir>/exports/`. */
  exportDiagnostics: {
    channel: 'qubs:support:export-diagnostics',
    args: z.tuple([]),
    result: DiagnosticsExportSchema,
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
  /** The connection setup changed (saved, demo chosen); the workstation was re-opened behind it. */
  connectionSetupChanged: {
    channel: 'qubs:event:connection-setup',
    payload: ConnectionSetupSchema,
  },
  /** The outbox drain: N of M delivered. */
  syncProgress: {
    channel: 'qubs:event:sync-progress',
    payload: OutboxDrainProgressSchema,
  },
  /** Main asks the page to refresh the worklist (resume from sleep, network back, connection changed). */
  worklistStale: {
    channel: 'qubs:event:worklist-stale',
    payload: WorklistStaleSchema,
  },
  /** A desktop notification was shown (the page may list it; tests read it). */
  notificationShown: {
    channel: 'qubs:event:notification-shown',
    payload: NotificationShownSchema,
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
