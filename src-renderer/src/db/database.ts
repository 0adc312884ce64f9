import { Dexie, type EntityTable } from 'dexie'

/**
 * What the renderer keeps offline (design §3). Dexie tables are versioned: add a new `version(n)` with
 * an upgrade instead of editing an old one. Drafts live here so nothing typed is lost on a reload.
 */
export interface DraftRow {
  /** `${domain}/${appointmentId}` */
  readonly key: string
  readonly domain: string
  readonly appointmentId: string
  readonly text: string
  readonly updatedAt: number
}

export class ReporterDatabase extends Dexie {
  drafts!: EntityTable<DraftRow, 'key'>

  constructor(name = 'qubs-reporter') {
    super(name)
    this.version(1).stores({ drafts: 'key, updatedAt' })
  }
}

export function draftKey(domain: string, appointmentId: string): string {
  return `${domain}/${appointmentId}`
}
