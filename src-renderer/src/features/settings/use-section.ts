import { useState } from 'react'
import { useSettingsStore } from '../../stores/settings-store'
import { errorMessage } from '../../ui/error-message'
import {
  fieldSource,
  sectionPatch,
  validateSection,
  type FieldErrors,
  type FieldSource,
  type SectionName,
  type SectionValue,
} from './settings-form'

export interface SectionForm<S extends SectionName> {
  readonly draft: SectionValue<S>
  readonly errors: FieldErrors
  /** What the last save answered: "Saved." or main's explanation. */
  readonly notice: { readonly ok: boolean; readonly text: string } | null
  readonly dirty: boolean
  readonly saving: boolean
  set<K extends keyof SectionValue<S>>(field: K, value: SectionValue<S>[K]): void
  /** Sets a field and saves the section at once (toggles and pickers). */
  setAndSave<K extends keyof SectionValue<S>>(field: K, value: SectionValue<S>[K]): Promise<void>
  save(): Promise<void>
  sourceOf(field: keyof SectionValue<S> & string): FieldSource
}

/**
 * One section's form: a draft of its fields, checked with the schema on every change (errors shown
 * inline before anything is sent), saved as a patch of the changed fields through main. While the
 * draft is untouched it follows main (a change from another window or the environment shows at once).
 */
export function useSectionForm<S extends SectionName>(section: S): SectionForm<S> {
  const settings = useSettingsStore((s) => s.settings)
  const view = useSettingsStore((s) => s.view)
  const current = settings[section]
  // The person's edits; null while untouched, so the form shows (and follows) what main holds.
  const [edits, setEdits] = useState<SectionValue<S> | null>(null)
  const draft = edits ?? current
  const dirty = edits !== null
  const [saving, setSaving] = useState(false)
  const [notice, setNotice] = useState<SectionForm<S>['notice']>(null)

  const errors = validateSection(settings, section, draft)

  const saveDraft = async (next: SectionValue<S>) => {
    const latest = useSettingsStore.getState()
    if (Object.keys(validateSection(latest.settings, section, next)).length > 0) {
      setNotice({ ok: false, text: 'Not saved: correct the fields marked above.' })
      return
    }
    const patch = sectionPatch(latest.view, latest.settings[section], section, next)
    if (Object.keys(patch).length === 0) {
      setEdits(null)
      setNotice({ ok: true, text: 'Nothing to save: no changes.' })
      return
    }
    setSaving(true)
    try {
      await latest.update(patch)
      setEdits(null)
      setNotice({ ok: true, text: 'Saved.' })
    } catch (error) {
      setNotice({ ok: false, text: errorMessage(error) })
    } finally {
      setSaving(false)
    }
  }

  const set: SectionForm<S>['set'] = (field, value) => {
    setEdits((d) => ({ ...(d ?? current), [field]: value }))
    setNotice(null)
  }

  return {
    draft,
    errors,
    notice,
    dirty,
    saving,
    set,
    setAndSave: async (field, value) => {
      const next = { ...draft, [field]: value }
      setEdits(next)
      await saveDraft(next)
    },
    save: () => saveDraft(draft),
    sourceOf: (field) => fieldSource(view, `${section}.${field}`),
  }
}
