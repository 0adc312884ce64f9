import { z } from 'zod'
import type { SettingsPatch } from '../../../../src-preload/contract/settings-schemas'
import type { ReporterDatabase } from '../../db/database'
import { useSettingsStore } from '../../stores/settings-store'

/**
 * Older versions kept theme, zoom, the amber threshold and the attachment limits in the page's own
 * `prefs` table. They are settings in main now: once, each such value the person set is carried over
 * where the setting is still a default (a value the person or the environment set in main wins), and
 * the old rows are removed once main holds them, so no second copy can drift.
 */
const MB = 1024 * 1024

const LEGACY = {
  'shell.theme': z.enum(['dark', 'light']).transform((theme): SettingsPatch => ({ appearance: { theme } })),
  'shell.zoom': z
    .number()
    .min(0.5)
    .max(3)
    .transform((zoom): SettingsPatch => ({ appearance: { zoom } })),
  'worklist.deadlineThresholds': z
    .object({ amberMinutes: z.number().int().min(1).max(10_080) })
    .transform(({ amberMinutes }): SettingsPatch => ({ worklist: { amberMinutes } })),
  'attachments.cache': z
    .object({ prefetchCount: z.number().int().min(0), capBytes: z.number().int().min(0) })
    .transform(({ prefetchCount, capBytes }): SettingsPatch => ({
      attachments: {
        prefetchCount: Math.min(prefetchCount, 200),
        cacheCapMB: Math.min(Math.max(Math.round(capBytes / MB), 50), 50_000),
      },
    })),
} as const

export type LegacyMigration =
  | { readonly outcome: 'nothing' }
  | { readonly outcome: 'migrated'; readonly fields: readonly string[] }
  | { readonly outcome: 'failed'; readonly reason: string }

/** Call once the settings store has main's view (its sources say what is still a default). */
export async function migrateLegacyPrefs(db: ReporterDatabase): Promise<LegacyMigration> {
  const store = useSettingsStore.getState()
  const view = store.view
  if (!view) return { outcome: 'failed', reason: 'settings not read from main' }
  const rows = await db.prefs.bulkGet(Object.keys(LEGACY))
  const found = rows.filter((row) => row !== undefined)
  if (found.length === 0) return { outcome: 'nothing' }
  const patch: Record<string, Record<string, unknown>> = {}
  for (const row of found) {
    const parsed = LEGACY[row.key as keyof typeof LEGACY].safeParse(row.value)
    if (!parsed.success) continue
    for (const [section, fields] of Object.entries(parsed.data)) {
      for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
        if (view.sources[`${section}.${field}`] !== undefined) continue
        patch[section] = { ...patch[section], [field]: value }
      }
    }
  }
  // An amber threshold below the default red one would be refused as a whole: red follows it down.
  const amber = patch['worklist']?.['amberMinutes']
  if (typeof amber === 'number' && amber <= view.settings.worklist.redMinutes) {
    if (view.sources['worklist.redMinutes'] !== undefined) delete patch['worklist']
    else patch['worklist'] = { amberMinutes: amber, redMinutes: Math.max(0, Math.floor(amber / 4)) }
  }
  const fields = Object.entries(patch).flatMap(([s, f]) => Object.keys(f).map((k) => `${s}.${k}`))
  try {
    if (fields.length > 0) await store.update(patch as SettingsPatch)
  } catch (error) {
    return { outcome: 'failed', reason: error instanceof Error ? error.message : 'not saved' }
  }
  await db.prefs.bulkDelete(found.map((row) => row.key))
  return fields.length > 0 ? { outcome: 'migrated', fields } : { outcome: 'nothing' }
}
