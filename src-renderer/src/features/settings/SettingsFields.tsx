import { useId, type ReactNode } from 'react'
import type { SectionName, SectionValue } from './settings-form'
import { parseNumberInput } from './settings-form'
import type { SectionForm } from './use-section'

/** Fields whose value is of type V, so a number field can only be bound to a number setting. */
type FieldsOf<S extends SectionName, V> = {
  [K in keyof SectionValue<S>]: SectionValue<S>[K] extends V ? K : never
}[keyof SectionValue<S>] &
  string

interface FieldProps<S extends SectionName, V> {
  readonly form: SectionForm<S>
  readonly field: FieldsOf<S, V>
  readonly label: string
  /** Shown under the label: what the setting does, the unit, the range. */
  readonly hint?: string
}

/** The field's source ("default" / "yours" / "set by QUBS_X, ...") and its error, tied to the input. */
function FieldNotes({ id, source, error }: Readonly<{ id: string; source: string; error?: string }>) {
  return (
    <>
      <span id={`${id}-source`} className="setting-source">
        {source}
      </span>
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}

function describedBy(id: string, hint: string | undefined, error: string | undefined) {
  return [hint ? `${id}-hint` : '', `${id}-source`, error ? `${id}-error` : ''].filter(Boolean).join(' ')
}

function FieldFrame({
  id,
  label,
  hint,
  children,
  notes,
}: Readonly<{ id: string; label: string; hint?: string; children: ReactNode; notes: ReactNode }>) {
  return (
    <div className="setting-field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="setting-hint">
          {hint}
        </span>
      )}
      <div className="setting-control">
        {children}
        {notes}
      </div>
    </div>
  )
}

export function NumberField<S extends SectionName>({ form, field, label, hint }: FieldProps<S, number>) {
  const id = useId()
  const source = form.sourceOf(field)
  const error = form.errors[field]
  const value = form.draft[field] as number
  return (
    <FieldFrame
      id={id}
      label={label}
      hint={hint}
      notes={<FieldNotes id={id} source={source.text} error={error} />}
    >
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={Number.isNaN(value) ? '' : String(value)}
        readOnly={source.locked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => form.set(field, parseNumberInput(e.target.value) as SectionValue<S>[typeof field])}
      />
    </FieldFrame>
  )
}

export function TextField<S extends SectionName>({
  form,
  field,
  label,
  hint,
  type = 'text',
}: FieldProps<S, string> & { readonly type?: 'text' | 'email' | 'url' }) {
  const id = useId()
  const source = form.sourceOf(field)
  const error = form.errors[field]
  return (
    <FieldFrame
      id={id}
      label={label}
      hint={hint}
      notes={<FieldNotes id={id} source={source.text} error={error} />}
    >
      <input
        id={id}
        type={type}
        value={form.draft[field] as string}
        readOnly={source.locked}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => form.set(field, e.target.value as SectionValue<S>[typeof field])}
      />
    </FieldFrame>
  )
}

/** A switch that saves at once (no Save button needed). */
export function ToggleField<S extends SectionName>({ form, field, label, hint }: FieldProps<S, boolean>) {
  const id = useId()
  const source = form.sourceOf(field)
  return (
    <div className="setting-field setting-toggle">
      <input
        id={id}
        type="checkbox"
        checked={form.draft[field] as boolean}
        disabled={source.locked || form.saving}
        aria-describedby={describedBy(id, hint, undefined)}
        onChange={(e) => void form.setAndSave(field, e.target.checked as SectionValue<S>[typeof field])}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="setting-hint">
          {hint}
        </span>
      )}
      <FieldNotes id={id} source={source.text} />
    </div>
  )
}

/** A section: heading, fields, and (when it has fields that are not toggles) Save with its outcome. */
export function SettingsSection<S extends SectionName>({
  id,
  title,
  form,
  children,
  savable = true,
  after,
}: Readonly<{
  id: string
  title: string
  form: SectionForm<S>
  children: ReactNode
  savable?: boolean
  /** Below the form and its Save button, set apart: an action that saves nothing of the section. */
  after?: ReactNode
}>) {
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`} id={id}>
      <h3 id={`${id}-title`} tabIndex={-1}>
        {title}
      </h3>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void form.save()
        }}
      >
        {children}
        {form.errors[''] && (
          // A rule across fields (red after amber) belongs to no single field.
          <p className="field-error" role="alert">
            {form.errors['']}
          </p>
        )}
        <div className="settings-actions">
          {savable && (
            <button type="submit" disabled={form.saving || !form.dirty}>
              {form.saving ? 'Saving…' : `Save ${title.toLowerCase()}`}
            </button>
          )}
          <span role="status" className={form.notice?.ok === false ? 'error' : 'muted'}>
            {form.notice?.text ?? ''}
          </span>
        </div>
      </form>
      {after !== undefined && <div className="settings-after">{after}</div>}
    </section>
  )
}
