import { useId, useState } from 'react'
import {
  ReportMacroSchema,
  ReportTemplateSchema,
  type ReportMacro,
  type ReportTemplate,
} from '../../../../src-preload/contract/settings-schemas'
import { SettingsSection } from './SettingsFields'
import { useSectionForm } from './use-section'

/** A field of a template or macro in its edit form; lists (modalities, keywords) are typed comma-separated. */
interface ItemField<T> {
  readonly key: keyof T & string
  readonly label: string
  readonly multiline?: boolean
  readonly list?: boolean
}

const TEMPLATE_FIELDS: readonly ItemField<ReportTemplate>[] = [
  { key: 'name', label: 'Name' },
  { key: 'modalities', label: 'Default for modalities (comma-separated, empty = any)', list: true },
  {
    key: 'descriptionKeywords',
    label: 'Default when the study description has (comma-separated)',
    list: true,
  },
  { key: 'text', label: 'Text ([brackets] mark fields)', multiline: true },
]
const MACRO_FIELDS: readonly ItemField<ReportMacro>[] = [
  { key: 'name', label: 'Name' },
  { key: 'shortcut', label: 'Typed shortcut (e.g. .normchest)' },
  { key: 'text', label: 'Text', multiline: true },
]

type Item = ReportTemplate | ReportMacro
type Draft = Record<string, string>

function toDraft<T extends Item>(item: T, fields: readonly ItemField<T>[]): Draft {
  return Object.fromEntries(
    fields.map((f) => [f.key, f.list ? (item[f.key] as string[]).join(', ') : String(item[f.key])]),
  )
}

function fromDraft<T extends Item>(draft: Draft, fields: readonly ItemField<T>[], id: string): unknown {
  return {
    id,
    ...Object.fromEntries(
      fields.map((f) => {
        const text = draft[f.key] ?? ''
        const list = text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
        return [f.key, f.list ? list : text]
      }),
    ),
  }
}

/** One list (templates or macros): each item with Edit and Delete, an Add form, Reset to the starter set. */
function ItemList<T extends Item>({
  noun,
  items,
  fields,
  parse,
  onChange,
  newId,
  locked,
}: Readonly<{
  noun: string
  /** Null = the starter set shipped with the app. */
  items: readonly T[] | null
  fields: readonly ItemField<T>[]
  parse: (
    value: unknown,
  ) =>
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
  onChange(items: T[] | null): void
  newId(): string
  locked: boolean
}>) {
  const [editing, setEditing] = useState<{ id: string | null; draft: Draft } | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const formId = useId()
  const empty = Object.fromEntries(fields.map((f) => [f.key, ''])) as Draft

  const commit = () => {
    if (!editing) return
    const id = editing.id ?? newId()
    const parsed = parse(fromDraft(editing.draft, fields, id))
    if (!parsed.success) {
      const found: Record<string, string> = {}
      for (const issue of parsed.error.issues) found[String(issue.path[0] ?? '')] ??= issue.message
      setErrors(found)
      return
    }
    const list = [...(items ?? [])]
    const at = list.findIndex((i) => i.id === id)
    if (at >= 0) list[at] = parsed.data
    else list.push(parsed.data)
    onChange(list)
    setEditing(null)
    setErrors({})
  }

  return (
    <div className="item-list">
      {items === null ? (
        <p className="muted">Using the starter set shipped with the app. Adding one starts your own list.</p>
      ) : items.length === 0 ? (
        <p className="muted">No {noun}s.</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <span>{item.name}</span>
              {'shortcut' in item && <kbd>{item.shortcut}</kbd>}
              <button
                type="button"
                disabled={locked}
                aria-label={`Edit ${item.name}`}
                onClick={() => setEditing({ id: item.id, draft: toDraft(item, fields) })}
              >
                Edit
              </button>
              <button
                type="button"
                disabled={locked}
                aria-label={`Delete ${item.name}`}
                onClick={() => onChange(items.filter((i) => i.id !== item.id))}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-row">
        <button type="button" disabled={locked} onClick={() => setEditing({ id: null, draft: empty })}>
          Add {noun}
        </button>
        <button type="button" disabled={locked || items === null} onClick={() => onChange(null)}>
          Reset {noun}s to the starter set
        </button>
      </div>
      {editing && (
        <fieldset className="item-editor">
          <legend>{editing.id ? `Edit ${noun}` : `New ${noun}`}</legend>
          {fields.map((f) => {
            const id = `${formId}-${f.key}`
            const value = editing.draft[f.key] ?? ''
            const set = (v: string) => setEditing({ ...editing, draft: { ...editing.draft, [f.key]: v } })
            return (
              <div key={f.key} className="setting-field">
                <label htmlFor={id}>{f.label}</label>
                {f.multiline ? (
                  <textarea id={id} rows={5} value={value} onChange={(e) => set(e.target.value)} />
                ) : (
                  <input id={id} value={value} onChange={(e) => set(e.target.value)} />
                )}
                {errors[f.key] && (
                  <span className="field-error" role="alert">
                    {errors[f.key]}
                  </span>
                )}
              </div>
            )
          })}
          <div className="form-row">
            <button type="button" onClick={commit}>
              Keep this {noun}
            </button>
            <button type="button" onClick={() => (setEditing(null), setErrors({}))}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
    </div>
  )
}

/**
 * Templates and macros (`settings.editor.templates` / `macros`; null = the editor's starter set).
 * Edits change the section's draft; its Save sends them.
 */
export function TemplatesSection({ newId = () => crypto.randomUUID() }: Readonly<{ newId?: () => string }>) {
  const form = useSectionForm('editor')
  return (
    <SettingsSection id="settings-templates" title="Templates and macros" form={form}>
      <h4>Templates</h4>
      <ItemList
        noun="template"
        items={form.draft.templates}
        fields={TEMPLATE_FIELDS}
        parse={(v) => ReportTemplateSchema.safeParse(v)}
        onChange={(templates) => form.set('templates', templates)}
        newId={newId}
        locked={form.sourceOf('templates').locked}
      />
      <h4>Macros</h4>
      <ItemList
        noun="macro"
        items={form.draft.macros}
        fields={MACRO_FIELDS}
        parse={(v) => ReportMacroSchema.safeParse(v)}
        onChange={(macros) => form.set('macros', macros)}
        newId={newId}
        locked={form.sourceOf('macros').locked}
      />
    </SettingsSection>
  )
}
