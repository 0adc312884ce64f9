import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react'
import {
  utf8ByteLength,
  type AppointmentView,
  type OutboxEntryView,
  type ReportStatus,
} from '../../../../src-preload/contract'
import type { DraftContent } from '../../db/drafts'
import { useCacheSession } from '../../ui/session-context'
import { isTyping } from '../../ui/shortcuts'
import { useSettingsStore } from '../../stores/settings-store'
import { isWaiting, useOutboxStore } from '../outbox'
import { AUTOSAVE_DELAY_MS, DraftAutosaver } from './draft-autosave'
import { useEditorStore, type ReportFile, type SurfaceState } from './editor-store'
import { ReportFiles } from './ReportFiles'
import { SubmissionList } from './SubmissionList'
import { SubmitDialog, type SubmitCheck } from './SubmitDialog'
import { SurfaceToolbar } from './SurfaceToolbar'
import { ariaKeyShortcuts } from './shortcut-match'
import { runPreSubmitChecks, type PreSubmitCheckId } from './pre-submit-checks'
import { starterSet } from './starter-set'
import { editorKeyAction, type EditorKeyContext } from './surface-keys'
import { resolveMacros, resolveTemplates } from './templates'
import { useDeliveryWatch } from './use-delivery-watch'

/** The accessible name dictation software and tests find the report field by. */
export const REPORT_FIELD_LABEL = 'Report text'
export const REPORT_FIELD_ID = 'report-text'

interface ReportSurfaceProps {
  readonly view: AppointmentView
  readonly now: number
  readonly initial: SurfaceState
}

/**
 * The text surface: a plain, uncontrolled textarea (design §3). Its value is set once, at mount, from
 * the draft; after that only the person (typing, dictation, paste) and `insertText` change it — React
 * never renders a `value`, so a re-render cannot move the caret or wipe undo. The input handler only
 * tells the autosaver something changed; the save reads the field later, off the input path.
 */
export function ReportSurface({ view, now, initial }: ReportSurfaceProps) {
  const session = useCacheSession()
  const target = { domain: view.domain, appointmentId: view.appointmentId }
  const fontSizePx = useSettingsStore((s) => s.settings.editor.fontSizePx)
  const shortcuts = useSettingsStore((s) => s.settings.shortcuts)
  const editorSettings = useSettingsStore((s) => s.settings.editor)
  const spellLanguages = editorSettings.spellcheckLanguages
  const clinician = useSettingsStore((s) => s.settings.clinician)
  const templates = resolveTemplates(editorSettings, starterSet)
  const macros = resolveMacros(editorSettings, starterSet)
  const { submissions, deliveredAt, saveError, savedAt } = useEditorStore()
  const outboxEntries = useOutboxStore((s) => s.entries)
  const readOnly = deliveredAt !== null
  const fieldRef = useRef<HTMLTextAreaElement>(null)
  const composing = useRef(false)
  const templateId = useRef(initial.templateId)
  const [files, setFiles] = useState<readonly ReportFile[]>([])
  const [asked, setAsked] = useState<{ status: ReportStatus; text: string } | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const [byteCount, setByteCount] = useState(() => utf8ByteLength(initial.text))

  // What a save stores: read from the field only when the save runs. The element is kept so a save
  // after unmount (leaving the appointment) still reads it.
  const element = useRef<HTMLTextAreaElement | null>(null)
  const state = useRef({ submissions, deliveredAt })
  useEffect(() => {
    state.current = { submissions, deliveredAt }
  })
  const readSurface = (): SurfaceState => {
    const field = element.current
    if (!field) return initial
    return {
      text: field.value,
      selectionStart: field.selectionStart,
      selectionEnd: field.selectionEnd,
      scrollTop: field.scrollTop,
      templateId: templateId.current,
    }
  }
  const readContent = (): DraftContent => ({ ...readSurface(), submissions: [...state.current.submissions] })
  const saverRef = useRef<DraftAutosaver | null>(null)

  useLayoutEffect(() => {
    const field = fieldRef.current
    if (!field) return
    element.current = field
    // The one write of `.value`: at mount, before the person can type.
    field.value = initial.text
    field.setSelectionRange(initial.selectionStart, initial.selectionEnd)
    field.scrollTop = initial.scrollTop
    const saver = new DraftAutosaver({
      delayMs: AUTOSAVE_DELAY_MS,
      read: readContent,
      write: async (content) => {
        await useEditorStore.getState().save(session, target, content, state.current.deliveredAt)
        setByteCount(utf8ByteLength(content.text))
      },
      // The store shows the failure; the next change tries again.
      onError: () => undefined,
    })
    saverRef.current = saver
    useEditorStore.getState().editorMounted(target)
    // Saved when the page may go away (reload, close; a crash follows hidden) and when the editor closes.
    const flush = () => void saver.flush()
    const onVisibility = () => document.visibilityState === 'hidden' && flush()
    window.addEventListener('pagehide', flush)
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      window.removeEventListener('pagehide', flush)
      document.removeEventListener('visibilitychange', onVisibility)
      // Reopening this appointment reads the draft only once this last save has landed.
      useEditorStore.getState().editorClosed(target, saver.flush())
      saver.dispose()
    }
    // Mounted once per appointment; the draft it starts from is fixed for its life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useDeliveryWatch(session, target, submissions, readSurface)
  useFocusShortcut(fieldRef)

  const askSubmit = (status: ReportStatus) => {
    if (composing.current) {
      setAnnouncement('Dictation is still writing: submit again once it has finished.')
      return
    }
    void saverRef.current?.flush()
    setAsked({ status, text: readSurface().text })
  }

  const keyContext: EditorKeyContext = { shortcuts, macros, announce: setAnnouncement, askSubmit }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Nothing of ours runs while an IME (voice typing) composes: no field jump, no macro, no submit.
    if (event.nativeEvent.isComposing || composing.current || event.key === 'Process') return
    if (editorKeyAction(event.nativeEvent, event.currentTarget, keyContext)) event.preventDefault()
  }

  return (
    <div className="report-surface">
      <SurfaceToolbar
        fieldRef={fieldRef}
        readOnly={readOnly}
        templates={templates}
        macros={macros}
        templateId={initial.templateId}
        byteCount={byteCount}
        onTemplateUsed={(id) => {
          templateId.current = id
        }}
      />
      {readOnly && (
        <p className="delivered-note" role="status">
          Delivered — read-only. The final report was delivered to QUBS; this copy stays until the appointment
          leaves the worklist.
        </p>
      )}
      <textarea
        ref={fieldRef}
        id={REPORT_FIELD_ID}
        className="report-text"
        aria-label={REPORT_FIELD_LABEL}
        aria-keyshortcuts="E"
        spellCheck
        lang={spellLanguages[0] ?? 'en'}
        readOnly={readOnly}
        // The shell zooms the whole page (CSS zoom), so this size follows the zoom as well.
        style={{ fontSize: `${fontSizePx}px` }}
        onInput={() => saverRef.current?.changed()}
        onKeyUp={() => saverRef.current?.changed()}
        onMouseUp={() => saverRef.current?.changed()}
        onScroll={() => saverRef.current?.changed()}
        onCompositionStart={() => {
          composing.current = true
          saverRef.current?.compositionStarted()
        }}
        onCompositionEnd={() => {
          composing.current = false
          saverRef.current?.compositionEnded()
        }}
        onKeyDown={onKeyDown}
      />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {saveError && (
        <p role="alert" className="error">
          {saveError}
        </p>
      )}
      <SubmitButtons
        readOnly={readOnly}
        hasSubmissions={submissions.length > 0}
        savedNote={
          readOnly
            ? 'Delivered'
            : savedAt
              ? `Draft saved ${new Date(savedAt).toLocaleTimeString()}`
              : 'Not saved yet'
        }
        onSubmit={askSubmit}
        onReopen={() => void useEditorStore.getState().reopen(session, target, readSurface())}
      />
      <SubmissionList submissions={submissions} />
      {!readOnly && <ReportFiles files={files} onChange={setFiles} />}
      {asked && (
        <SubmitDialog
          view={view}
          now={now}
          status={asked.status}
          text={asked.text}
          files={files}
          checks={submitChecks({
            text: asked.text,
            reportStatus: asked.status,
            studyDescription: view.studyDescription,
            patientSex: view.gender,
            clinician,
            finalWaitingSince: finalWaitingSince(outboxEntries, view),
          })}
          onCancel={() => {
            setAsked(null)
            fieldRef.current?.focus()
          }}
          onConfirm={async (report) => {
            const ok = await useEditorStore.getState().submit(session, target, report, files, readContent())
            if (ok) {
              setAsked(null)
              setFiles([])
            }
          }}
        />
      )}
    </div>
  )
}

const CHECK_TITLES: Readonly<Record<PreSubmitCheckId, string>> = {
  empty: 'The report is empty',
  'unfilled-fields': 'Unfilled [fields]',
  'too-long': 'Too long for QUBS',
  laterality: 'Left / right does not match the study',
  'sex-specific': "Words that do not fit the patient's sex",
  'clinician-missing': 'Clinician details missing',
  'final-waiting': 'A final is still waiting to be sent',
}

/** When the newest final of this appointment still waiting in the outbox was queued (null: none). */
function finalWaitingSince(entries: readonly OutboxEntryView[], view: AppointmentView): number | null {
  const waiting = entries
    .filter(
      (e) =>
        e.kind === 'report' &&
        e.reportStatus === 'final' &&
        e.domain === view.domain &&
        e.appointmentId === view.appointmentId &&
        isWaiting(e),
    )
    .map((e) => e.createdAt)
  return waiting.length > 0 ? Math.max(...waiting) : null
}

function submitChecks(input: Parameters<typeof runPreSubmitChecks>[0]): SubmitCheck[] {
  return runPreSubmitChecks(input).map((finding) => ({
    id: finding.id,
    blocking: finding.severity === 'block',
    title: CHECK_TITLES[finding.id],
    explanation: finding.message,
  }))
}

/**
 * E puts the caret in the report from anywhere on the appointment (where the draft left it), unless
 * the person types in another field or a modal dialog is open.
 */
function useFocusShortcut(fieldRef: RefObject<HTMLTextAreaElement | null>) {
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'e' || event.ctrlKey || event.metaKey || event.altKey) return
      if (isTyping(event.target) || document.querySelector('[aria-modal="true"]')) return
      event.preventDefault()
      fieldRef.current?.focus()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [fieldRef])
}

function SubmitButtons({
  readOnly,
  hasSubmissions,
  savedNote,
  onSubmit,
  onReopen,
}: Readonly<{
  readOnly: boolean
  hasSubmissions: boolean
  savedNote: string
  onSubmit: (status: ReportStatus) => void
  onReopen: () => void
}>) {
  const [warned, setWarned] = useState(false)
  const shortcuts = useSettingsStore((s) => s.settings.shortcuts)
  if (readOnly) {
    return (
      <div className="submit-row">
        {warned ? (
          <p role="alert" className="warning">
            The final report was already delivered. Sending it again makes QUBS keep the new text as the final
            report. <button onClick={onReopen}>Edit and submit again</button>{' '}
            <button onClick={() => setWarned(false)}>Keep the delivered report</button>
          </p>
        ) : (
          <button type="button" onClick={() => setWarned(true)}>
            Submit again…
          </button>
        )}
      </div>
    )
  }
  return (
    <div className="submit-row">
      <button
        type="button"
        onClick={() => onSubmit('preliminary')}
        aria-keyshortcuts={ariaKeyShortcuts(shortcuts.submitPreliminary)}
      >
        Submit preliminary
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => onSubmit('final')}
        aria-keyshortcuts={ariaKeyShortcuts(shortcuts.submitFinal)}
      >
        Submit final
      </button>
      {hasSubmissions && <span className="muted">A final after a preliminary replaces it at QUBS.</span>}
      <span className="muted draft-saved">{savedNote}</span>
    </div>
  )
}
