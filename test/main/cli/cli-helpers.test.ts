import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PendingAppointment } from '../../../src-main/core/api'
import type { OutboxEntrySummary } from '../../../src-main/core/outbox'
import { sortByDeadlineThenStart } from '../../../src-main/cli/commands/read-commands'
import { describeFileError, textArgument } from '../../../src-main/cli/input-files'
import {
  describeHolder,
  readLockInfo,
  removeLockInfo,
  writeLockInfo,
} from '../../../src-main/cli/outbox-lock-info'
import { describeWaiting, needsPersonMessage } from '../../../src-main/cli/submission-outcome'

/** The CLI's small decisions, one by one (the process tests cover them end to end). */
const entry = (fields: Partial<OutboxEntrySummary>): OutboxEntrySummary => ({
  id: 'e-1',
  kind: 'report',
  domain: 'demo',
  appointmentId: 'A1',
  idempotencyKey: 'k',
  state: 'queued',
  reportStatus: 'final',
  attempts: 1,
  lastError: null,
  heldReason: null,
  heldDetail: null,
  blockedByHeld: false,
  nextAttemptAt: null,
  result: null,
  createdAt: 0,
  updatedAt: 0,
  deliveredAt: null,
  exportedAt: null,
  discardedAt: null,
  purged: false,
  ...fields,
})

describe('file errors in words', () => {
  it.each([
    ['ENOENT', 'no such file or folder'],
    ['EACCES', 'permission denied'],
    ['EISDIR', 'it is a folder, not a file'],
    ['ENOTDIR', 'a part of the path is not a folder'],
  ])('%s', (code, words) => {
    const error = Object.assign(new Error(`${code}: open '/secret/Smith John.txt'`), { code })
    const text = describeFileError(error, 'read')
    expect(text).toBe(`could not be read: ${words} (${code})`)
    expect(text).not.toContain('Smith')
  })

  it('keeps an unknown code and never the message', () => {
    expect(describeFileError(Object.assign(new Error('x /p'), { code: 'EWEIRD' }), 'write')).toBe(
      'could not be written (EWEIRD)',
    )
    expect(describeFileError(new Error('x /p'), 'read')).toBe('could not be read')
  })

  it('refuses an argument that holds U+FFFD and drops a leading BOM', () => {
    expect(() => textArgument('38\uFFFDC', '--text')).toThrow(/not valid UTF-8/)
    expect(textArgument('\uFEFFok', '--text')).toBe('ok')
  })
})

describe('who holds the outbox', () => {
  let dir: string
  let outboxPath: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-lock-'))
    outboxPath = join(dir, 'outbox.sqlite')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const info = { pid: 4242, command: 'qubs-reporter sync', since: '2026-01-01T00:00:00.000Z' }

  it('names a live holder', async () => {
    writeLockInfo(outboxPath, info)
    expect(await describeHolder({ outboxPath, isAlive: () => true })).toContain(
      'pid 4242: qubs-reporter sync, since 2026-01-01T00:00:00.000Z',
    )
  })

  it('waits a moment for the note of a holder that has just taken the lock', async () => {
    let slept = 0
    const sleep = async (ms: number) => {
      slept += ms
      if (slept >= 200) writeLockInfo(outboxPath, info)
    }
    expect(await describeHolder({ outboxPath, isAlive: () => true, sleep })).toContain('pid 4242')
    expect(slept).toBe(200)
  })

  it('ignores a stale, malformed or missing note', async () => {
    writeLockInfo(outboxPath, info)
    expect(readLockInfo({ outboxPath, isAlive: () => false })).toBeUndefined()
    writeFileSync(`${outboxPath}.lock-info`, '{"pid":"x"}')
    expect(readLockInfo({ outboxPath, isAlive: () => true })).toBeUndefined()
    writeFileSync(`${outboxPath}.lock-info`, 'not json')
    expect(await describeHolder({ outboxPath, isAlive: () => true, graceMs: 0 })).toMatch(
      /in use by another process \(the QUBS/,
    )
  })

  it('removes only its own note', () => {
    writeLockInfo(outboxPath, info)
    removeLockInfo(outboxPath, 1)
    expect(readLockInfo({ outboxPath, isAlive: () => true })).toEqual(info)
    removeLockInfo(outboxPath, 4242)
    expect(readLockInfo({ outboxPath, isAlive: () => true })).toBeUndefined()
  })
})

describe('what a submission or a sync left', () => {
  it('needs a person for held entries and refused credentials, not for an unreachable QUBS', () => {
    expect(needsPersonMessage(entry({ state: 'delivered' }))).toBeUndefined()
    expect(needsPersonMessage(entry({ lastError: { code: 'network', at: 1 } }))).toBeUndefined()
    expect(needsPersonMessage(entry({ lastError: { code: 'auth', at: 1 } }))).toMatch(
      /it IS queued \(entry e-1\)/,
    )
    expect(needsPersonMessage(entry({ lastError: { code: 'http-403', at: 1 } }))).toMatch(
      /refused the credentials/,
    )
    expect(needsPersonMessage(entry({ state: 'held', heldReason: 'not-pending' }))).toMatch(
      /held: not-pending.*IS kept in the outbox/,
    )
  })

  it('says unreachable, timed out or back-off, by what the run and the entries saw', () => {
    const left = { idle: false, remaining: 2 }
    const unknown = { state: 'unknown', lastSuccessAt: null, lastAttemptAt: null } as const
    const offline = { ...unknown, state: 'offline' } as const
    const online = { ...unknown, state: 'online' } as const
    const noAnswer = [
      entry({ lastError: { code: 'timeout', at: 1 } }),
      entry({ lastError: { code: 'network', at: 1 } }),
    ]
    expect(describeWaiting({ idle: true, remaining: 0 }, offline, [], true)).toBeUndefined()
    expect(describeWaiting(left, offline, [], true)).toBe('QUBS unreachable; 2 entries wait')
    expect(describeWaiting(left, unknown, noAnswer, false)).toBe('QUBS unreachable; 2 entries wait')
    expect(describeWaiting(left, online, noAnswer, true)).toBe('timed out; 2 entries wait')
    expect(describeWaiting({ idle: false, remaining: 1 }, unknown, [entry({})], false)).toMatch(
      /^1 entry waits for the next attempt/,
    )
  })
})

describe('worklist order', () => {
  it('puts the earliest deadline first, none last, then date and start time', () => {
    const row = (appointmentId: string, fields: Partial<PendingAppointment>) =>
      ({ appointmentId, ...fields }) as PendingAppointment
    const rows = [
      row('none-late', { appointmentDate: '2026-01-02', startTime: '09:00' }),
      row('late', { reportNeededBy: '2026-01-03T00:00:00Z' }),
      row('none-early', { appointmentDate: '2026-01-01', startTime: '10:30' }),
      row('early-b', {
        reportNeededBy: '2026-01-01T00:00:00Z',
        appointmentDate: '2026-01-01',
        startTime: '11:00',
      }),
      row('early-a', {
        reportNeededBy: '2026-01-01T00:00:00Z',
        appointmentDate: '2026-01-01',
        startTime: '08:00',
      }),
    ]
    expect(sortByDeadlineThenStart(rows).map((r) => r.appointmentId)).toEqual([
      'early-a',
      'early-b',
      'late',
      'none-early',
      'none-late',
    ])
  })
})
