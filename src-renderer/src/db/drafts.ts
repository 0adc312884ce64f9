import { z } from 'zod'
import type { CacheSession } from './cache-session'
import { appointmentRowKey, type AppointmentRowKey, type DraftRow } from './database'
import { openJson, sealJson } from './sealed-json'

/**
 * Report drafts (design §3: drafts are durable). One row per appointment, bound to domain +
 * appointment id; the text and the editor state (caret, scroll, the submissions made from it) are
 * sealed with AAD `drafts/${domain}/${appointmentId}`, so a draft copied into another row — another
 * patient — never opens. Only the key, the time and whether its report was delivered stay in clear.
 *
 * Writes ask IndexedDB for `strict` durability: Chromium's default commits before the data reaches
 * the disk, so a power cut could lose the last words. Dexie 4 sets durability only for a whole
 * database (its `chromeTransactionDurability` constructor option), and the worklist and attachment
 * caches do not need the flush; so draft writes go through a native transaction on Dexie's own
 * connection, with the durability asked for per transaction.
 */
const TABLE = 'drafts'

const count = z.number().int().nonnegative()

export const DraftSubmissionSchema = z.object({
  entryId: z.string().min(1).max(512),
  reportStatus: z.enum(['preliminary', 'final']),
  /** Set once the editor saw it delivered (a final's delivery makes the draft read-only once). */
  delivered: z.boolean(),
})
export type DraftSubmission = z.infer<typeof DraftSubmissionSchema>

export const DraftContentSchema = z.object({
  text: z.string(),
  selectionStart: count,
  selectionEnd: count,
  scrollTop: z.number().nonnegative(),
  /** The template the draft was started from (null: typed from scratch). */
  templateId: z.string().max(64).nullable(),
  /** Reports queued from this draft, oldest first: their outbox entries are watched until delivered. */
  submissions: z.array(DraftSubmissionSchema).max(1000),
})
export type DraftContent = z.infer<typeof DraftContentSchema>

export interface StoredDraft {
  readonly content: DraftContent
  readonly updatedAt: number
  /** When the final report made from it was delivered: the draft is then read-only. */
  readonly deliveredAt: number | null
}

/** A draft row as written: the clear `deliveredAt` is this module's addition to database.ts's DraftRow. */
type StoredDraftRow = DraftRow & { readonly deliveredAt: number | null }

export async function saveDraft(
  session: CacheSession,
  domain: string,
  appointmentId: string,
  content: DraftContent,
  options: Readonly<{ now: number; deliveredAt: number | null }>,
): Promise<void> {
  const key = appointmentRowKey(domain, appointmentId)
  const sealed = await sealJson(session, TABLE, key, content)
  const row: StoredDraftRow = {
    key,
    domain,
    appointmentId,
    updatedAt: options.now,
    deliveredAt: options.deliveredAt,
    sealed,
  }
  await putStrict(session, row)
}

export async function loadDraft(
  session: CacheSession,
  domain: string,
  appointmentId: string,
): Promise<StoredDraft | null> {
  const key = appointmentRowKey(domain, appointmentId)
  const row = (await session.db.drafts.get(key)) as StoredDraftRow | undefined
  if (!row) return null
  const content = await openJson(session, TABLE, key, row.sealed, DraftContentSchema)
  if (!content) return null
  return { content, updatedAt: row.updatedAt, deliveredAt: readDeliveredAt(row) }
}

/** Drafts whose report is not delivered yet: they keep their appointment on the worklist. */
export async function listUndeliveredDraftKeys(session: CacheSession): Promise<Set<AppointmentRowKey>> {
  const keys = new Set<AppointmentRowKey>()
  await session.db.drafts.each((row) => {
    if (readDeliveredAt(row) === null) keys.add(row.key)
  })
  return keys
}

/**
 * Drops the delivered drafts of appointments the worklist no longer keeps; a draft whose report was
 * not delivered is never dropped here (it keeps its appointment on the worklist instead). Answers how
 * many were dropped.
 */
export async function deleteDeliveredDraftsNotIn(
  session: CacheSession,
  keep: ReadonlySet<AppointmentRowKey>,
): Promise<number> {
  return session.db.drafts.filter((row) => readDeliveredAt(row) !== null && !keep.has(row.key)).delete()
}

function readDeliveredAt(row: DraftRow): number | null {
  const value = (row as Partial<StoredDraftRow>).deliveredAt
  return typeof value === 'number' ? value : null
}

async function putStrict(session: CacheSession, row: StoredDraftRow): Promise<void> {
  const { db } = session
  if (!db.isOpen()) await db.open()
  const idb = db.backendDB()
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(TABLE, 'readwrite', { durability: 'strict' })
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error ?? new Error('the draft could not be saved'))
    tx.onabort = () => reject(tx.error ?? new Error('saving the draft was aborted'))
    tx.objectStore(TABLE).put(row)
  })
}
