import './zod-setup'
import { z } from 'zod'

/**
 * The person's settings, kept by main (one JSON file per user, never PHI) and read by the renderer
 * through `getSettings`. Every field has a default, so a settings file from an older version, or one
 * a person edited by hand, is read field by field: what no longer fits falls back to its default and
 * the rest is kept. Secrets (the client secret) are never here: they live in the vault.
 */

/** A key chord as a dictation microphone's programmable button or a keyboard sends it: `Ctrl+Shift+F9`. */
export const KeyChordSchema = z
  .string()
  .max(40)
  .regex(
    /^(?:(?:Ctrl|Alt|Shift|Meta)\+)*(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Tab|Enter|Space|Insert|Home|End|PageUp|PageDown|Pause|ScrollLock)$/,
    {
      error: 'a key chord is modifiers (Ctrl, Alt, Shift, Meta) joined by + with one key, e.g. Ctrl+Shift+F9',
    },
  )
export type KeyChord = z.infer<typeof KeyChordSchema>

/** What a microphone button or shortcut can do in the editor and the worklist. */
export const ShortcutActionSchema = z.enum([
  'nextField',
  'previousField',
  'submitPreliminary',
  'submitFinal',
  'nextCase',
])
export type ShortcutAction = z.infer<typeof ShortcutActionSchema>

/** Extra chords per action, on top of the built-in ones (Tab / F2 and their Shift forms for fields). */
export const ShortcutsSchema = z.object({
  nextField: z.array(KeyChordSchema).max(4).default(['F2']),
  previousField: z.array(KeyChordSchema).max(4).default(['Shift+F2']),
  submitPreliminary: z.array(KeyChordSchema).max(4).default(['Ctrl+Shift+P']),
  submitFinal: z.array(KeyChordSchema).max(4).default(['Ctrl+Shift+F']),
  nextCase: z.array(KeyChordSchema).max(4).default(['Ctrl+Shift+N']),
})
export type Shortcuts = z.infer<typeof ShortcutsSchema>

const settingId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/)
const shortText = (max: number) => z.string().max(max)

/** A report template: the text, with `[bracketed]` fill-in fields, chosen by modality / description. */
export const ReportTemplateSchema = z.object({
  id: settingId,
  name: shortText(120).min(1),
  /** Modalities it is the default for (`CT`, `MR`, ...); empty = any. */
  modalities: z.array(shortText(16).min(1)).max(20).default([]),
  /** Words that, all found in the study description (case-insensitive), make it the default. */
  descriptionKeywords: z.array(shortText(60).min(1)).max(20).default([]),
  text: shortText(100_000),
})
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>

/** A macro: text inserted at the caret when its shortcut (e.g. `.normchest`) is typed or it is picked. */
export const ReportMacroSchema = z.object({
  id: settingId,
  name: shortText(120).min(1),
  /** Typed in the report, then Space or Tab expands it; letters, digits, dot, dash. */
  shortcut: z
    .string()
    .min(2)
    .max(32)
    .regex(/^[.;][A-Za-z0-9-]+$/, { error: 'a macro shortcut starts with . or ; then letters or digits' }),
  text: shortText(100_000),
})
export type ReportMacro = z.infer<typeof ReportMacroSchema>

export const ClinicianProfileSchema = z.object({
  name: shortText(200).default(''),
  providerNumber: shortText(50).default(''),
  email: z.union([z.literal(''), z.email().max(320)]).default(''),
})
export type ClinicianProfile = z.infer<typeof ClinicianProfileSchema>

export const SettingsSchema = z.object({
  clinician: ClinicianProfileSchema.default(ClinicianProfileSchema.parse({})),
  sync: z
    .object({
      /** How often the worklist is refreshed in the background. */
      worklistIntervalSeconds: z.number().int().min(15).max(3600).default(60),
    })
    .default({ worklistIntervalSeconds: 60 }),
  attachments: z
    .object({
      prefetchCount: z.number().int().min(0).max(200).default(20),
      cacheCapMB: z.number().int().min(50).max(50_000).default(500),
    })
    .default({ prefetchCount: 20, cacheCapMB: 500 }),
  privacy: z
    .object({
      /**
       * Delivered submissions and cached PHI no longer pending are purged after this many days. One by
       * default, as the CLI keeps them: what was delivered stays in QUBS; the workstation keeps PHI short.
       */
      retentionDays: z.number().int().min(1).max(365).default(1),
      /** Lock the screen after this many idle minutes; 0 = never. */
      idleLockMinutes: z.number().int().min(0).max(240).default(10),
      /** Hide the window's content from screen sharing and screenshots. */
      contentProtection: z.boolean().default(false),
      /** Whether notifications may name the patient (off: "A report is due in 10 min"). */
      notificationsShowPatient: z.boolean().default(false),
    })
    .default({
      retentionDays: 1,
      idleLockMinutes: 10,
      contentProtection: false,
      notificationsShowPatient: false,
    }),
  worklist: z
    .object({
      /** Deadline countdowns turn amber, then red, this many minutes before the deadline. */
      amberMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
      redMinutes: z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60)
        .default(15),
    })
    .refine((w) => w.redMinutes < w.amberMinutes, { error: 'red must come after amber' })
    .default({ amberMinutes: 60, redMinutes: 15 }),
  notifications: z
    .object({
      heldSubmissions: z.boolean().default(true),
      dueSoon: z.boolean().default(true),
      dueSoonMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(15),
    })
    .default({ heldSubmissions: true, dueSoon: true, dueSoonMinutes: 15 }),
  shortcuts: ShortcutsSchema.default(ShortcutsSchema.parse({})),
  editor: z
    .object({
      fontSizePx: z.number().int().min(12).max(40).default(18),
      /** Null = the starter set shipped in resources/ until the person edits them. */
      templates: z.array(ReportTemplateSchema).max(500).nullable().default(null),
      macros: z.array(ReportMacroSchema).max(1000).nullable().default(null),
      spellcheckLanguages: z.array(shortText(16).min(2)).max(5).default(['en-US']),
      /** The person's own words, added to the spell checker with the radiology word list. */
      customWords: z.array(shortText(64).min(1)).max(10_000).default([]),
    })
    .default({
      fontSizePx: 18,
      templates: null,
      macros: null,
      spellcheckLanguages: ['en-US'],
      customWords: [],
    }),
  accessibility: z
    .object({
      /** Forces Chromium's accessibility tree on, so dictation software finds the report field. */
      dictationSupport: z.boolean().default(true),
    })
    .default({ dictationSupport: true }),
  appearance: z
    .object({
      theme: z.enum(['dark', 'light']).default('dark'),
      zoom: z.number().min(0.5).max(3).default(1),
    })
    .default({ theme: 'dark', zoom: 1 }),
  pacs: z
    .object({
      /**
       * The image viewer's link, e.g. `https://pacs.example/viewer?study={studyInstanceUid}`. Opened
       * only to this template's own origin. Empty = no viewer configured.
       */
      linkTemplate: shortText(2000).default(''),
    })
    .default({ linkTemplate: '' }),
})
export type Settings = z.infer<typeof SettingsSchema>
/** A change: any subset of the sections, each section partial. */
export type SettingsPatch = { readonly [K in keyof Settings]?: Partial<Settings[K]> }

export const SettingsPatchSchema = z
  .object(
    Object.fromEntries(
      // Each section's values are checked by the store against the whole schema (a field may depend
      // on another, as red on amber); here only the shape: known sections, each an object of its own
      // known fields — an unknown one is refused, not written to settings.json as it came.
      Object.entries(SettingsSchema.shape).map(([key, section]) => [key, knownFieldsOf(section).optional()]),
    ) as unknown as { [K in keyof Settings]: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>> },
  )
  .strict()

function knownFieldsOf(section: z.ZodDefault<z.ZodObject>) {
  const fields = Object.keys(section.unwrap().shape).map((field) => [field, z.unknown().optional()])
  return z.strictObject(Object.fromEntries(fields) as Record<string, z.ZodOptional<z.ZodUnknown>>)
}

/** Where a setting's value comes from: the default, the person, or the environment (a managed deployment). */
export const SettingSourceSchema = z.enum(['default', 'user', 'env'])
export type SettingSource = z.infer<typeof SettingSourceSchema>

export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  /**
   * The source of each setting that is not a default, by dotted path (`sync.worklistIntervalSeconds`);
   * an `env` one names its variable in `envVariables` and cannot be changed from the app.
   */
  sources: z.record(z.string(), SettingSourceSchema),
  envVariables: z.record(z.string(), z.string()),
})
export type SettingsView = z.infer<typeof SettingsViewSchema>
