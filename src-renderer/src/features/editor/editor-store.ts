import { create } from 'zustand'
import type { NewReport, NewReportAttachment } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import type { CacheSession } from '../../db/cache-session'
import { loadDraft, saveDraft, type DraftContent, type DraftSubmission } from '../../db/drafts'
import { appointmentRowKey } from '../../db/database'
import { errorMessage } from '../../ui/error-message'
import { useOutboxStore } from '../outbox'

/** The part of a draft the text field holds (text, caret, scroll, template). */
export type SurfaceState = Omit<DraftContent, 'submissions'>

export interface DraftTarget {
  readonly domain: string
  readonly appointmentId: string
}

export interface AttachmentOutcome {
  readonly fileName: string
  /** The outbox entry, or why it was not queued. */
  readonly entryId: string | null
  readonly error: string | null
}

export type ReportFile = Omit<NewReportAttachment, 'submissionKey'>

/**
 * The open report: which draft the text field mounts with, the reports queued from it (their outbox
 * entries, so their state shows live until delivered) and whether its final was delivered (then
 * read-only). The text itself lives in the uncontrolled textarea: the store gets it only as the
 * content to save and never hands it back to the field. Writes do not depend on which appointment is
 * open — a save that lands after the person moved on still goes to its own draft.
 */
interface EditorState {
  readonly key: string | null
  /** What the text field starts with; null while the draft is being read. */
  readonly initial: SurfaceState | null
  readonly submissions: readonly DraftSubmission[]
  readonly deliveredAt: number | null
  readonly savedAt: number | null
  readonly saveError: string | null
  readonly submitError: string | null
  readonly attachmentOutcomes: readonly AttachmentOutcome[]
  /** Reads the draft; without one the text field starts from `starter` (the default template). */
  open(session: CacheSession, target: DraftTarget, starter: SurfaceState): Promise<void>
  save(
    session: CacheSession,
    target: DraftTarget,
    content: DraftContent,
    deliveredAt: number | null,
  ): Promise<void>
  /**
   * Queues the report (then its files) in the outbox and records the entry in the draft, which stays
   * until the report is delivered. Resolves false (with `submitError`) when main refused it.
   */
  submit(
    session: CacheSession,
    target: DraftTarget,
    report: NewReport,
    files: readonly ReportFile[],
    content: DraftContent,
  ): Promise<boolean>
  /** A submission's report was delivered; a final's makes the draft read-only. */
  noteDelivered(
    session: CacheSession,
    target: DraftTarget,
    entryId: string,
    surface: SurfaceState,
  ): Promise<void>
  /** "Submit again": the person chose to send a corrected final; the draft is editable again. */
  reopen(session: CacheSession, target: DraftTarget, surface: SurfaceState): Promise<void>
}

export const useEditorStore = create<EditorState>((set, get) => {
  const isOpen = (target: DraftTarget) => get().key === appointmentRowKey(target.domain, target.appointmentId)
  const saveFailed = (target: DraftTarget, error: unknown) => {
    if (isOpen(target)) set({ saveError: `The draft could not be saved: ${errorMessage(error)}` })
  }

  return {
    key: null,
    initial: null,
    submissions: [],
    deliveredAt: null,
    savedAt: null,
    saveError: null,
    submitError: null,
    attachmentOutcomes: [],

    open: async (session, target, starter) => {
      const key = appointmentRowKey(target.domain, target.appointmentId)
      set({
        key,
        initial: null,
        submissions: [],
        deliveredAt: null,
        savedAt: null,
        saveError: null,
        submitError: null,
        attachmentOutcomes: [],
      })
      let stored = null
      try {
        stored = await loadDraft(session, target.domain, target.appointmentId)
      } catch (error) {
        set({ saveError: `The saved draft could not be read: ${errorMessage(error)}` })
      }
      if (get().key !== key) return
      if (!stored) return set({ initial: starter })
      const { submissions, ...surface } = stored.content
      set({ initial: surface, submissions, deliveredAt: stored.deliveredAt, savedAt: stored.updatedAt })
    },

    save: async (session, target, content, deliveredAt) => {
      const now = Date.now()
      try {
        await saveDraft(session, target.domain, target.appointmentId, content, { now, deliveredAt })
      } catch (error) {
        // The text is still on screen; the autosaver tries again with the next change.
        saveFailed(target, error)
        throw error
      }
      if (isOpen(target)) set({ savedAt: now, saveError: null })
    },

    submit: async (session, target, report, files, content) => {
      let entry
      try {
        entry = await getBridge().enqueueReport(target.domain, target.appointmentId, report)
        useOutboxStore.getState().noteQueued(entry)
      } catch (error) {
        if (isOpen(target)) set({ submitError: errorMessage(error) })
        return false
      }
      const submissions = [
        ...content.submissions,
        { entryId: entry.id, reportStatus: report.reportStatus, delivered: false },
      ]
      if (isOpen(target)) set({ submissions, submitError: null, deliveredAt: null })
      // The draft remembers the entry before anything else, so after a crash it is still watched.
      await get()
        .save(session, target, { ...content, submissions }, null)
        .catch(() => undefined)
      const outcomes: AttachmentOutcome[] = []
      for (const file of files) {
        try {
          const queued = await getBridge().enqueueReportAttachment(target.domain, target.appointmentId, file)
          useOutboxStore.getState().noteQueued(queued)
          outcomes.push({ fileName: file.fileName, entryId: queued.id, error: null })
        } catch (error) {
          outcomes.push({ fileName: file.fileName, entryId: null, error: errorMessage(error) })
        }
      }
      if (isOpen(target)) set({ attachmentOutcomes: outcomes })
      return true
    },

    noteDelivered: async (session, target, entryId, surface) => {
      const submission = get().submissions.find((s) => s.entryId === entryId)
      if (!submission || submission.delivered || !isOpen(target)) return
      const deliveredAt = submission.reportStatus === 'final' ? Date.now() : get().deliveredAt
      const submissions = get().submissions.map((s) =>
        s.entryId === entryId ? { ...s, delivered: true } : s,
      )
      set({ deliveredAt, submissions })
      await get()
        .save(session, target, { ...surface, submissions }, deliveredAt)
        .catch(() => undefined)
    },

    reopen: async (session, target, surface) => {
      set({ deliveredAt: null })
      await get()
        .save(session, target, { ...surface, submissions: [...get().submissions] }, null)
        .catch(() => undefined)
    },
  }
})
