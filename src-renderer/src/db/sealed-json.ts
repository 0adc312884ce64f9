import type { z } from 'zod'
import type { CacheSession } from './cache-session'
import type { SealedRecord } from './cipher'
import { sealAad } from './database'

/**
 * Seals and opens one JSON value bound to its table and row. What comes back from disk is validated
 * with the same zod schema the bridge uses: a damaged or foreign record reads as "not cached" (null)
 * and is fetched again, never shown half-valid.
 */
export function sealJson(session: CacheSession, table: string, key: string, value: unknown) {
  return session.cipher.sealJson(sealAad(table, key), value)
}

export async function openJson<T extends z.ZodType>(
  session: CacheSession,
  table: string,
  key: string,
  sealed: SealedRecord,
  schema: T,
): Promise<z.output<T> | null> {
  try {
    const parsed = schema.safeParse(await session.cipher.openJson(sealAad(table, key), sealed))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
