import {
  WORKLIST_CHUNK_SIZE,
  type ApiMethods,
  type AppointmentView,
  type OutboxEntryView,
} from '../../src-preload/contract'

/** Fake patients only (sandbox style); canary strings make leaks into clear storage easy to grep. */
export function appointment(overrides: Partial<AppointmentView> = {}): AppointmentView {
  return {
    domain: 'demo',
    appointmentId: 'A1',
    status: 'PENDING REPORTING',
    scheduledSite: 'Harbour Imaging',
    appointmentDate: '2026-12-01',
    startTime: '09:30:00',
    endTime: '09:45:00',
    patientId: 'P1',
    patientName: 'Testpatient, Alice',
    firstName: 'Alice',
    lastName: 'Testpatient',
    dateOfBirth: '1980-05-17',
    gender: 'F',
    modality: 'CT',
    studyDescription: 'CT Head',
    clinicalInfo: 'Headache, query bleed.',
    doctorName: 'Dr Example',
    clinicName: 'Example Clinic',
    priority: 'Routine',
    reportNeededBy: '2026-12-03T00:00:00Z',
    studyInstanceUid: '1.2.3',
    radiologistUser: null,
    serviceItems: null,
    extra: {},
    ...overrides,
  }
}

export function outboxEntry(overrides: Partial<OutboxEntryView> = {}): OutboxEntryView {
  return {
    id: 'e1',
    kind: 'comment',
    domain: 'demo',
    appointmentId: 'A1',
    state: 'queued',
    reportStatus: null,
    attempts: 0,
    heldReason: null,
    heldDetail: null,
    lastError: null,
    blockedByHeld: false,
    nextAttemptAt: null,
    createdAt: 1_764_000_000_000,
    updatedAt: 1_764_000_000_000,
    deliveredAt: null,
    exportedAt: null,
    discardedAt: null,
    ...overrides,
  }
}

export const fixedKey = new Uint8Array(32).fill(7)

/** Bridge methods serving `items` as a worklist refresh in chunks, plus a cache key and sites. */
export function worklistMethods(
  items: () => readonly AppointmentView[],
  options: { readonly keyId?: string; readonly gate?: Promise<void> } = {},
): Partial<ApiMethods> {
  let refreshes = 0
  let current: readonly AppointmentView[] = []
  return {
    getAppInfo: async () => ({
      name: 'QUBS Reporter',
      version: '0.1.0',
      mode: 'demo',
      runtime: { node: '24' },
    }),
    getConnectivity: async () => ({ state: 'online', lastSuccessAt: null, lastAttemptAt: null }),
    getCacheKey: async () => ({ keyId: options.keyId ?? 'k1', rawKey: new Uint8Array(fixedKey) }),
    listSites: async () => [{ domain: 'demo', siteName: 'Harbour Imaging', timeZone: 'Australia/Sydney' }],
    listOutbox: async () => [],
    refreshWorklist: async () => {
      await options.gate
      current = items()
      const refreshId = `r${++refreshes}`
      const now = new Date().toISOString()
      return {
        refreshId,
        startedAt: now,
        completedAt: now,
        total: current.length,
        chunkCount: Math.ceil(current.length / WORKLIST_CHUNK_SIZE),
        domains: [{ domain: 'demo', ok: true, items: current.length, pages: 1 }],
      }
    },
    getWorklistChunk: async (refreshId, index) => ({
      refreshId,
      index,
      items: current.slice(index * WORKLIST_CHUNK_SIZE, (index + 1) * WORKLIST_CHUNK_SIZE),
    }),
  }
}
