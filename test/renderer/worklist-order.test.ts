import { describe, expect, it } from 'vitest'
import { compareUrgency, priorityRank } from '../../src-renderer/src/features/worklist/priority'
import { filterEntries, NO_FILTERS, sortEntries } from '../../src-renderer/src/features/worklist/visible-rows'
import { mergeRefresh, toEntry } from '../../src-renderer/src/features/worklist/worklist-model'
import { nextCase } from '../../src-renderer/src/features/worklist/worklist-store'
import { appointment, outboxEntry } from './fixtures'

const entry = (overrides: Parameters<typeof appointment>[0], pending = true) =>
  toEntry({ view: appointment(overrides), pending, refreshId: 'r1' }, new Map())

describe('worklist priority and order', () => {
  it('ranks STAT before urgent before semi-urgent before routine, whatever the spelling', () => {
    expect(['STAT', 'stat', 'Emergency'].map(priorityRank)).toEqual([0, 0, 0])
    expect(priorityRank('Urgent')).toBe(1)
    expect(priorityRank('Semi-urgent')).toBe(2)
    expect(priorityRank('semi urgent')).toBe(2)
    expect(priorityRank('Routine')).toBe(3)
    expect(priorityRank(null)).toBe(4)
    expect(priorityRank('Whenever')).toBe(4)
  })

  it('orders by default: urgent first, then deadline (none last), then appointment time', () => {
    const rows = [
      entry({
        appointmentId: 'routine-early-deadline',
        priority: 'Routine',
        reportNeededBy: '2026-12-01T01:00:00Z',
      }),
      entry({ appointmentId: 'stat-no-deadline', priority: 'STAT', reportNeededBy: null }),
      entry({ appointmentId: 'stat-deadline', priority: 'STAT', reportNeededBy: '2026-12-05T00:00:00Z' }),
      entry({
        appointmentId: 'routine-late',
        priority: 'Routine',
        reportNeededBy: null,
        startTime: '11:00:00',
      }),
      entry({
        appointmentId: 'routine-earlier',
        priority: 'Routine',
        reportNeededBy: null,
        startTime: '08:00:00',
      }),
    ]
    expect(sortEntries(rows, null).map((r) => r.view.appointmentId)).toEqual([
      'stat-deadline',
      'stat-no-deadline',
      'routine-early-deadline',
      'routine-earlier',
      'routine-late',
    ])
    expect(compareUrgency(rows[0]!.urgency, rows[0]!.urgency)).toBe(0)
  })

  it('sorts by a chosen column both ways and falls back to the default order on ties', () => {
    const rows = [
      entry({ appointmentId: 'b', lastName: 'Beta', modality: 'CT', priority: 'Routine' }),
      entry({ appointmentId: 'a', lastName: 'Alpha', modality: 'MR', priority: 'Routine' }),
      entry({ appointmentId: 'c', lastName: 'Gamma', modality: 'CT', priority: 'STAT' }),
    ]
    const ids = (column: 'name' | 'modality', descending: boolean) =>
      sortEntries(rows, { column, descending }).map((r) => r.view.appointmentId)
    expect(ids('name', false)).toEqual(['a', 'b', 'c'])
    expect(ids('name', true)).toEqual(['c', 'b', 'a'])
    // Both CT rows tie on modality: the STAT one comes first.
    expect(ids('modality', false)).toEqual(['c', 'b', 'a'])
  })

  it('filters free text over name, ids, study and site, case-insensitively, plus the select filters', () => {
    const rows = [
      entry({ appointmentId: 'A1', lastName: 'Testpatient', studyDescription: 'CT Head', modality: 'CT' }),
      entry({
        appointmentId: 'A2',
        lastName: 'Sample',
        patientName: 'Sample, Bob',
        studyDescription: 'MR Knee',
        modality: 'MR',
        scheduledSite: 'North',
      }),
    ]
    const ids = (f: Partial<typeof NO_FILTERS>) =>
      filterEntries(rows, { ...NO_FILTERS, ...f }).map((r) => r.view.appointmentId)
    expect(ids({ text: 'testpat' })).toEqual(['A1'])
    expect(ids({ text: 'knee' })).toEqual(['A2'])
    expect(ids({ text: 'a2' })).toEqual(['A2'])
    expect(ids({ text: 'north' })).toEqual(['A2'])
    expect(ids({ modality: 'CT' })).toEqual(['A1'])
    expect(ids({ text: 'knee', modality: 'CT' })).toEqual([])
    expect(ids({})).toEqual(['A1', 'A2'])
  })
})

describe('merging a refresh into the cached worklist', () => {
  const cached = (id: string, domain = 'demo') => ({
    view: appointment({ appointmentId: id, domain }),
    pending: true,
    refreshId: 'r0',
  })

  it('drops what left the list, keeps it as no longer pending while it holds work, and keeps failed domains', () => {
    const merged = mergeRefresh(
      [cached('stays'), cached('gone'), cached('gone-with-draft'), cached('other', 'east')],
      [appointment({ appointmentId: 'stays' }), appointment({ appointmentId: 'new' })],
      [
        { domain: 'demo', ok: true, items: 2, pages: 1 },
        { domain: 'east', ok: false, items: 0, pages: 0 },
      ],
      'r1',
      new Set(['demo/gone-with-draft']),
    )
    const byId = Object.fromEntries(merged.map((m) => [m.view.appointmentId, m]))
    expect(Object.keys(byId).sort()).toEqual(['gone-with-draft', 'new', 'other', 'stays'])
    expect(byId['stays']).toMatchObject({ pending: true, refreshId: 'r1' })
    expect(byId['gone-with-draft']).toMatchObject({ pending: false })
    expect(byId['other']).toMatchObject({ pending: true, refreshId: 'r0' })
  })
})

describe('next case', () => {
  it('opens the most urgent pending appointment without a delivered or queued report', () => {
    const rows = [
      entry({ appointmentId: 'stat-reported', priority: 'STAT' }),
      entry({ appointmentId: 'stat-gone', priority: 'STAT' }, false),
      entry({ appointmentId: 'urgent-held', priority: 'Urgent' }),
      entry({ appointmentId: 'routine', priority: 'Routine' }),
    ]
    const outbox = [
      outboxEntry({ id: '1', kind: 'report', appointmentId: 'stat-reported', state: 'delivered' }),
      outboxEntry({ id: '2', kind: 'report', appointmentId: 'urgent-held', state: 'held' }),
      outboxEntry({ id: '3', kind: 'comment', appointmentId: 'routine', state: 'delivered' }),
    ]
    expect(nextCase(rows, outbox)?.view.appointmentId).toBe('urgent-held')
    expect(nextCase([rows[0]!, rows[1]!], outbox)).toBeNull()
  })
})
