import type { OutboxEntryState, OutboxEntryView } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'

type OutboxEntryKind = OutboxEntryView['kind']

/** What the State column says about one kind of outbox work for an appointment. */
export interface OutboxBadge {
  readonly kind: OutboxEntryKind
  readonly state: OutboxEntryState
  /** `report held`, `comment queued`: never a bare state, which reads as "report done". */
  readonly label: string
}

const KIND_LABEL: Readonly<Record<OutboxEntryKind, string>> = {
  report: 'report',
  'report-attachment': 'report file',
  comment: 'comment',
}
const KIND_ORDER: readonly OutboxEntryKind[] = ['report', 'report-attachment', 'comment']

/**
 * Per appointment key, the current state of each kind of outbox entry (the newest one of that kind),
 * reports first. A delivered comment is dropped: it needs nothing from the radiologist, and a bare
 * "delivered" beside the patient would be read as the report being done.
 */
export function outboxBadges(
  outbox: readonly OutboxEntryView[],
): ReadonlyMap<string, readonly OutboxBadge[]> {
  const newest = new Map<string, Map<OutboxEntryKind, OutboxEntryView>>()
  // listOutbox is newest first: the first entry seen per appointment and kind is its current state.
  for (const e of outbox) {
    if (e.discardedAt !== null) continue
    const key = appointmentRowKey(e.domain, e.appointmentId)
    const kinds = newest.get(key) ?? new Map<OutboxEntryKind, OutboxEntryView>()
    if (!kinds.has(e.kind)) kinds.set(e.kind, e)
    newest.set(key, kinds)
  }
  const badges = new Map<string, OutboxBadge[]>()
  for (const [key, kinds] of newest) {
    const shown = [...kinds.values()]
      .filter((e) => !(e.kind === 'comment' && e.state === 'delivered'))
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
      .map((e) => ({ kind: e.kind, state: e.state, label: `${KIND_LABEL[e.kind]} ${e.state}` }))
    if (shown.length) badges.set(key, shown)
  }
  return badges
}
