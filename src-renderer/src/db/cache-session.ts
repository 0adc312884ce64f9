import type { CacheKey } from '../../../src-preload/contract'
import { createRecordCipher, type RecordCipher } from './cipher'
import type { ReporterDatabase } from './database'

/**
 * An open offline cache: the Dexie database plus the cipher for its sealed fields. Built once at start
 * from main's cache key; every repository in db/ takes it as its first argument.
 */
export interface CacheSession {
  readonly db: ReporterDatabase
  readonly cipher: RecordCipher
}

const KEY_ID_PREF = 'cacheKeyId'

/**
 * Opens the cache under `key`. When the key id differs from the one the rows were sealed under (the
 * key was replaced after "wipe local data"), every sealed table is cleared first: those rows can never
 * be opened again, and clearing them keeps the retention of PHI on disk bounded.
 *
 * The key id is looked at read-only first: under the same key (every start but the first after a
 * wipe) nothing is written, and a read-write transaction over every table would have to wait for the
 * worklist read that a cold start runs beside this one (IndexedDB queues overlapping writers).
 */
export async function openCacheSession(db: ReporterDatabase, key: CacheKey): Promise<CacheSession> {
  const cipher = await createRecordCipher(key.keyId, key.rawKey)
  if ((await db.prefs.get(KEY_ID_PREF))?.value === key.keyId) return { db, cipher }
  await db.transaction('rw', db.tables, async () => {
    // Checked again inside: another page of the app may have cleared and stamped it meanwhile.
    const stored = await db.prefs.get(KEY_ID_PREF)
    if (stored?.value === key.keyId) return
    await Promise.all(db.tables.filter((t) => t.name !== 'prefs').map((t) => t.clear()))
    await db.prefs.put({ key: KEY_ID_PREF, value: key.keyId })
  })
  return { db, cipher }
}
