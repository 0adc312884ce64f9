import { Dexie, type EntityTable } from 'dexie'
import type { SealedRecord } from './cipher'

/**
 * What the renderer keeps offline (design §3): the worklist snapshot, appointment views, comments,
 * site time zones, attachment bytes, drafts and the person's view preferences. Every PHI value is in a
 * `sealed` field (AES-256-GCM, see cipher.ts; the AAD is `${table}/${key}`); only non-PHI index fields
 * (domain, appointment id, deadline, modality, site, priority, dates, sizes) stay in clear for sorting
 * and filtering before decryption. Dexie tables are versioned: add a new `version(n)` with an upgrade
 * instead of editing an old one.
 */

/** `${domain}/${appointmentId}`: the key of every per-appointment row. */
export type AppointmentRowKey = string

export interface WorklistRow {
  readonly key: AppointmentRowKey
  readonly domain: string
  readonly appointmentId: string
  readonly priority: string | null
  /** UTC ISO 8601 or null. */
  readonly reportNeededBy: string | null
  readonly modality: string | null
  readonly scheduledSite: string | null
  /** 1 while QUBS lists it as pending; 0 once a refresh of its domain no longer did. */
  readonly pending: 0 | 1
  /** The refresh that last listed it. */
  readonly refreshId: string
  /** The `worklistBatches` row that holds its sealed AppointmentView. */
  readonly batch: number
}

/**
 * The worklist's PHI, sealed in batches of up to WORKLIST_BATCH_SIZE views (one AES-GCM operation per
 * batch instead of per row keeps an offline cold start of 50 000 rows well under a second). The AAD
 * binds a batch to its snapshot and index, so batches of another snapshot cannot be mixed in.
 */
export interface WorklistBatchRow {
  readonly key: number
  readonly snapshotId: string
  /** `{ keys: string[], views: AppointmentView[] }`, sealed. */
  readonly sealed: SealedRecord
}

export interface AppointmentRow {
  readonly key: AppointmentRowKey
  readonly domain: string
  readonly appointmentId: string
  readonly fetchedAt: number
  /** AppointmentView, sealed. */
  readonly sealed: SealedRecord
}

export interface CommentsRow {
  readonly key: AppointmentRowKey
  readonly domain: string
  readonly appointmentId: string
  readonly fetchedAt: number
  /** Counts for the worklist badge (not PHI: no text, no author). */
  readonly commentCount: number
  readonly alertCount: number
  /** CommentView[], sealed. */
  readonly sealed: SealedRecord
}

export interface AttachmentListRow {
  readonly key: AppointmentRowKey
  readonly domain: string
  readonly appointmentId: string
  readonly fetchedAt: number
  /** AttachmentView[], sealed. */
  readonly sealed: SealedRecord
}

/**
 * What the attachment cache knows of one cached file, without its bytes: least-recently-used
 * eviction and "cached and unchanged?" checks scan only these small rows, never the files themselves.
 */
export interface AttachmentFileRow {
  /** `${domain}/${appointmentId}/${guid}`, shared with its AttachmentBytesRow. */
  readonly key: string
  readonly domain: string
  readonly appointmentId: string
  readonly guid: string
  readonly byteLength: number
  /** What main reported; the viewer still judges the bytes themselves. */
  readonly contentType: string
  readonly sha256: string
  /** QUBS's lastModifiedDateTime when it was fetched: a prefetch skips the file while it is unchanged. */
  readonly lastModifiedDateTime: string | null
  readonly cachedAt: number
  /** For least-recently-used eviction under the cache's size cap; opening the file touches it. */
  readonly lastUsedAt: number
}

export interface AttachmentBytesRow {
  /** The key of its AttachmentFileRow. */
  readonly key: string
  /** The file's bytes, sealed (AAD `attachmentBytes/${domain}/${appointmentId}/${guid}`). */
  readonly sealed: SealedRecord
}

export interface SiteRow {
  /** `${domain}/${siteName}` */
  readonly key: string
  readonly domain: string
  readonly siteName: string
  readonly timeZone: string | null
  readonly fetchedAt: number
}

export interface DraftRow {
  readonly key: AppointmentRowKey
  readonly domain: string
  readonly appointmentId: string
  readonly updatedAt: number
  /** The draft's text and editor state, sealed. */
  readonly sealed: SealedRecord
}

/** Non-PHI page preferences (filters, sort) and bookkeeping such as the cache key id; settings live in main. */
export interface PrefRow {
  readonly key: string
  readonly value: unknown
}

export class ReporterDatabase extends Dexie {
  worklist!: EntityTable<WorklistRow, 'key'>
  worklistBatches!: EntityTable<WorklistBatchRow, 'key'>
  appointments!: EntityTable<AppointmentRow, 'key'>
  comments!: EntityTable<CommentsRow, 'key'>
  attachmentLists!: EntityTable<AttachmentListRow, 'key'>
  attachmentFiles!: EntityTable<AttachmentFileRow, 'key'>
  attachmentBytes!: EntityTable<AttachmentBytesRow, 'key'>
  sites!: EntityTable<SiteRow, 'key'>
  drafts!: EntityTable<DraftRow, 'key'>
  prefs!: EntityTable<PrefRow, 'key'>

  constructor(name = 'qubs-reporter') {
    super(name)
    this.version(1).stores({ drafts: 'key, updatedAt' })
    // Version 2 seals drafts; the few plaintext drafts of version 1 (never released) are dropped.
    this.version(2)
      .stores({
        worklist: 'key, domain, pending, reportNeededBy, modality, scheduledSite, priority',
        worklistBatches: 'key',
        appointments: 'key, domain, fetchedAt',
        comments: 'key, domain, fetchedAt',
        attachmentLists: 'key, domain, fetchedAt',
        attachmentFiles: 'key, [domain+appointmentId], lastUsedAt',
        attachmentBytes: 'key',
        sites: 'key, domain',
        drafts: 'key, domain, updatedAt',
        prefs: 'key',
      })
      .upgrade((tx) => tx.table('drafts').clear())
  }
}

export function appointmentRowKey(domain: string, appointmentId: string): AppointmentRowKey {
  return `${domain}/${appointmentId}`
}

export function attachmentRowKey(domain: string, appointmentId: string, guid: string): string {
  return `${domain}/${appointmentId}/${guid}`
}

/** The additional authenticated data of a sealed field: the table and the row it belongs to. */
export function sealAad(table: string, key: string): string {
  return `${table}/${key}`
}
