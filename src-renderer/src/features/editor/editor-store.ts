import { create } from 'zustand'
import type { NewReport, NewReportAttachment, OutboxEntryView } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import type { CacheSession } from '../../db/cache-session'
import { loadDraft, saveDraft, type DraftContent, type DraftSubmission } from '../../db/drafts'
import { appointmentRowKey } from '../../db/database'
import { errorMessage } from '../../ui/error-message'
import { useOutboxStore } from '../outbox'
import { DraftWriteQueue } from './draft-write-queue'

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

/** What `recordDelivery` did: `editing` leaves it to the open editor (the watcher looks again later). */
export type DeliveryRecord = 'recorded' | 'unchanged' | 'editing'

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
  /**
   * Reads the draft once every save of it queued or announced before has landed; without one the text
   * field starts from `starter` (the default template).
   */
  open(session: CacheSession, target: DraftTarget, starter: SurfaceState): Promise<void>
  /** Writes the draft after every earlier write of the same draft (never overtaken by an older one). */
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
  /**
   * A delivered report entry, seen whatever screen is open: marks its submission delivered in the
   * stored draft of an appointment that is not open (a final's makes the draft read-only), after every
   * save of that draft queued before. The open one is left to its editor, which saves the words on
   * screen. Resolves whether the draft changed, or `editing` when its editor is open.
   */
  recordDelivery(session: CacheSession, entry: OutboxEntryView): Promise<DeliveryRecord>
  /** The text field of `target` is on screen (deliveries are then noted by it, with its words). */
  editorMounted(target: DraftTarget): void
  /**
   * The text field of `target` left the screen with `lastSave` (its last flush) still running: opening
   * the appointment again waits for it, so the field starts from the newest words.
   */
  editorClosed(target: DraftTarget, lastSave: Promise<unknown>): void
  /** "Submit again": the person chose to send a corrected final; the draft is editable again. */
  reopen(session: CacheSession, target: DraftTarget, surface: SurfaceState): Promise<void>
}

/** One for the page: every draft write, whichever editor or watcher makes it, goes through it. */
const draftWrites = new DraftWriteQueue()
/** How many text fields of each draft are mounted (StrictMode mounts one twice for a moment). */
const mountedEditors = new Map<string, number>()

export const useEditorStore = create<EditorState>((set, get) => {
  const isOpen = (target: DraftTarget) => get().key === appointmentRowKey(target.domain, target.appointmentId)
  /** Its field is on screen or about to be (the draft is being read for it). */
  const isEditing = (target: DraftTarget) => {
    const key = appointmentRowKey(target.domain, target.appointmentId)
    return (mountedEditors.get(key) ?? 0) > 0 || (get().key === key && get().initial === null)
  }
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
        await draftWrites.settled(key)
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
      const key = appointmentRowKey(target.domain, target.appointmentId)
      try {
        await draftWrites.run(key, () =>
          saveDraft(session, target.domain, target.appointmentId, content, { now, deliveredAt }),
        )
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
      // The outbox list shows it at once (its state, and the "a final is waiting" check), not only once
      // main's change event arrives.
      void useOutboxStore.getState().load()
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

    recordDelivery: async (session, entry) => {
      const target = { domain: entry.domain, appointmentId: entry.appointmentId }
      if (entry.kind !== 'report' || entry.state !== 'delivered') return 'unchanged'
      if (isEditing(target)) return 'editing'
      const key = appointmentRowKey(target.domain, target.appointmentId)
      // After the closing save of this draft, so the stored text is the newest.
      await draftWrites.settled(key)
      return draftWrites.run(key, async () => {
        // Opened meanwhile: its editor mounts with the stored state and notes the delivery itself.
        if (isEditing(target)) return 'editing'
        const stored = await loadDraft(session, target.domain, target.appointmentId)
        const submission = stored?.content.submissions.find((s) => s.entryId === entry.id)
        if (!stored || !submission || submission.delivered) return 'unchanged'
        const submissions = stored.content.submissions.map((s) =>
          s.entryId === entry.id ? { ...s, delivered: true } : s,
        )
        const deliveredAt =
          submission.reportStatus === 'final' ? (entry.deliveredAt ?? Date.now()) : stored.deliveredAt
        const content = { ...stored.content, submissions }
        await saveDraft(session, target.domain, target.appointmentId, content, {
          now: Date.now(),
          deliveredAt,
        })
        return 'recorded'
      })
    },

    editorMounted: (target) => {
      const key = appointmentRowKey(target.domain, target.appointmentId)
      mountedEditors.set(key, (mountedEditors.get(key) ?? 0) + 1)
    },

    editorClosed: (target, lastSave) => {
      const key = appointmentRowKey(target.domain, target.appointmentId)
      const left = (mountedEditors.get(key) ?? 1) - 1
      if (left > 0) mountedEditors.set(key, left)
      else mountedEditors.delete(key)
      draftWrites.track(key, lastSave)
    },

    reopen: async (session, target, surface) => {
      set({ deliveredAt: null })
      await get()
        .save(session, target, { ...surface, submissions: [...get().submissions] }, null)
        .catch(() => undefined)
    },
  }
})
