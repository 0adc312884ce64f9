import {
  SettingsSchema,
  type Settings,
  type SettingsPatch,
  type SettingsView,
} from '../../../../src-preload/contract/settings-schemas'

/** A settings section's name (`sync`, `privacy`, ...) and its value. */
export type SectionName = keyof Settings
export type SectionValue<S extends SectionName> = Settings[S]

/** Where a field's value comes from, in the words the settings screen shows beside it. */
export interface FieldSource {
  readonly kind: 'default' | 'user' | 'env'
  readonly text: string
  /** Set by the environment: shown, never editable here. */
  readonly locked: boolean
}

export function fieldSource(view: SettingsView | null, path: string): FieldSource {
  const kind = view?.sources[path] ?? 'default'
  if (kind === 'env') {
    const variable = view?.envVariables[path] ?? 'the environment'
    return { kind, text: `set by ${variable}, cannot be changed here`, locked: true }
  }
  return { kind, text: kind === 'user' ? 'yours' : 'default', locked: false }
}

/** Field name → the schema's message for it, for the inline errors of one section. */
export type FieldErrors = Readonly<Record<string, string>>

/**
 * Checks a section's draft against the whole schema (a field may depend on another, as red on
 * amber): the field errors by field name, and `''` for an error of the section as a whole.
 */
export function validateSection<S extends SectionName>(
  settings: Settings,
  section: S,
  draft: SectionValue<S>,
): FieldErrors {
  const checked = SettingsSchema.safeParse({ ...settings, [section]: draft })
  if (checked.success) return {}
  const errors: Record<string, string> = {}
  for (const issue of checked.error.issues) {
    if (issue.path[0] !== section) continue
    const field = issue.path.length > 1 ? String(issue.path[1]) : ''
    errors[field] ??= issue.message
  }
  return errors
}

/**
 * The patch that saves a section's draft: only the fields that differ from what main holds (so an
 * untouched default stays a default) and never one the environment fixed (main would refuse it).
 */
export function sectionPatch<S extends SectionName>(
  view: SettingsView | null,
  current: SectionValue<S>,
  section: S,
  draft: SectionValue<S>,
): SettingsPatch {
  const changed: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(draft as Record<string, unknown>)) {
    if (fieldSource(view, `${section}.${field}`).locked) continue
    if (JSON.stringify(value) !== JSON.stringify((current as Record<string, unknown>)[field]))
      changed[field] = value
  }
  return Object.keys(changed).length ? ({ [section]: changed } as SettingsPatch) : {}
}

/** A number typed into a field: NaN for an empty or non-numeric entry, so the schema names it. */
export function parseNumberInput(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text)
}
