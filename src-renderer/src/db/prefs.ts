import type { z } from 'zod'
import type { ReporterDatabase } from './database'

/**
 * Non-PHI page preferences (sort and filter choices, bookkeeping). Read through a zod
 * schema: a preference from an older version that no longer fits falls back to its default.
 */
export async function readPref<T extends z.ZodType>(
  db: ReporterDatabase,
  key: string,
  schema: T,
  fallback: z.output<T>,
): Promise<z.output<T>> {
  const row = await db.prefs.get(key)
  if (!row) return fallback
  const parsed = schema.safeParse(row.value)
  return parsed.success ? parsed.data : fallback
}

export async function writePref(db: ReporterDatabase, key: string, value: unknown): Promise<void> {
  await db.prefs.put({ key, value })
}
