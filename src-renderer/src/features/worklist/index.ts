import type { AppointmentView } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import { useWorklistStore } from './worklist-store'

export { WorklistScreen, FILTER_INPUT_ID } from './WorklistScreen'
export { useWorklistStore, nextCase, nextCaseInView } from './worklist-store'
export { mostUrgentKeys } from './visible-rows'

/** Read-only: the worklist's copy of one appointment (cached snapshot or last refresh), or null. */
export function worklistViewOf(domain: string, appointmentId: string): AppointmentView | null {
  const key = appointmentRowKey(domain, appointmentId)
  return useWorklistStore.getState().entries.find((e) => e.key === key)?.view ?? null
}
