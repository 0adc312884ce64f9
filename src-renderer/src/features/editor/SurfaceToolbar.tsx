import { useState, type RefObject } from 'react'
import type { ReportMacro, ReportTemplate } from '../../../../src-preload/contract'
import { NEAR_LIMIT_SHARE, REPORT_BYTE_LIMIT } from './byte-count'
import { findFields } from './fields'
import { macroExpansion } from './macros'
import { applyExpansion } from './surface-keys'

export interface SurfaceToolbarProps {
  readonly fieldRef: RefObject<HTMLTextAreaElement | null>
  readonly readOnly: boolean
  readonly templates: readonly ReportTemplate[]
  readonly macros: readonly ReportMacro[]
  readonly templateId: string | null
  /** The UTF-8 size of the text as last saved. */
  readonly byteCount: number
  onTemplateUsed(id: string): void
}

/**
 * Above the report: the template and macro pickers and — near QUBS's
 * 2 097 152-byte limit — the live byte counter. Every insert goes through insertText, so Ctrl+Z takes
 * it back; replacing text that is already there with a template asks first.
 */
export function SurfaceToolbar(props: SurfaceToolbarProps) {
  const { fieldRef, readOnly, templates, macros, byteCount, onTemplateUsed } = props
  const [templateId, setTemplateId] = useState(props.templateId ?? templates[0]?.id ?? '')
  const [macroId, setMacroId] = useState(macros[0]?.id ?? '')
  const [confirming, setConfirming] = useState<ReportTemplate | null>(null)
  const near = byteCount >= REPORT_BYTE_LIMIT * NEAR_LIMIT_SHARE
  const over = byteCount > REPORT_BYTE_LIMIT

  const applyTemplate = (template: ReportTemplate) => {
    const field = fieldRef.current
    if (!field) return
    setConfirming(null)
    const first = findFields(template.text)[0]
    applyExpansion(field, {
      start: 0,
      end: field.value.length,
      insertText: template.text,
      selectionStart: first?.start ?? template.text.length,
      selectionEnd: first?.end ?? template.text.length,
    })
    onTemplateUsed(template.id)
  }
  const askTemplate = () => {
    const template = templates.find((t) => t.id === templateId)
    const field = fieldRef.current
    if (!template || !field) return
    if (field.value.trim().length === 0) applyTemplate(template)
    else setConfirming(template)
  }
  const insertMacro = () => {
    const macro = macros.find((m) => m.id === macroId)
    const field = fieldRef.current
    if (!macro || !field) return
    applyExpansion(field, macroExpansion(macro, field.selectionStart, field.selectionEnd))
  }

  return (
    <div className="surface-toolbar">
      {!readOnly && (
        <>
          <label>
            Template{' '}
            <select value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={askTemplate} disabled={templates.length === 0}>
            Use template
          </button>
          <label>
            Macro{' '}
            <select value={macroId} onChange={(e) => setMacroId(e.target.value)}>
              {macros.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.shortcut})
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={insertMacro} disabled={macros.length === 0}>
            Insert macro
          </button>
        </>
      )}
      {near && (
        <span className={over ? 'byte-count error' : 'byte-count warning'} role="status">
          {byteCount.toLocaleString('en')} / {REPORT_BYTE_LIMIT.toLocaleString('en')} bytes
          {over ? ' — too long to send' : ''}
        </span>
      )}
      {confirming && (
        <div role="alertdialog" aria-labelledby="replace-title" className="replace-confirm">
          <p id="replace-title">
            Replace the report text with the template “{confirming.name}”? (Ctrl+Z brings your text back.)
          </p>
          <button type="button" onClick={() => applyTemplate(confirming)}>
            Replace the text
          </button>{' '}
          <button type="button" onClick={() => setConfirming(null)}>
            Keep my text
          </button>
        </div>
      )}
    </div>
  )
}
