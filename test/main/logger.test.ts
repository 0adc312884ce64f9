import { describe, expect, it } from 'vitest'
import { fileSink } from '../../src-main/common/file-sink'
import {
  createLogger,
  memorySink,
  redactFields,
  redactUntrustedFields,
  WITHHELD_MESSAGE,
  type LogSink,
} from '../../src-main/common/logger'

describe('logger', () => {
  it('redacts fields whose names suggest PHI or secrets, keeps ids and states', () => {
    const sink = memorySink()
    const log = createLogger('outbox', { sink, now: () => Date.UTC(2026, 0, 2) })
    log.info('entry sent', {
      entryId: 'e1',
      appointmentId: 'A1',
      state: 'delivered',
      patientName: 'Testpatient Alpha',
      reportText: 'No acute abnormality.',
      clientSecret: 's3cret',
      nested: { dateOfBirth: '1970-01-01', attempts: 2 },
    })
    expect(sink.records).toHaveLength(1)
    const [record] = sink.records
    expect(record?.module).toBe('outbox')
    expect(record?.time).toBe('2026-01-02T00:00:00.000Z')
    const text = JSON.stringify(record)
    for (const secret of ['Testpatient', 'No acute', 's3cret', '1970-01-01'])
      expect(text).not.toContain(secret)
    expect(record?.fields).toMatchObject({
      entryId: 'e1',
      appointmentId: 'A1',
      state: 'delivered',
      nested: { attempts: 2 },
    })
  })

  it('logs an error by name and code, never by its message', () => {
    const error = Object.assign(new Error('Report for Testpatient Alpha rejected'), { code: 'E_TEST' })
    expect(redactFields({ error })).toEqual({ error: { errorName: 'Error', errorCode: 'E_TEST' } })
  })

  it('drops records below the configured level', () => {
    const sink = memorySink()
    const log = createLogger('sync', { sink, level: 'warn' })
    log.info('quiet')
    log.warn('loud')
    expect(sink.records.map((r) => r.message)).toEqual(['loud'])
  })

  it('names child loggers after their parent', () => {
    const sink = memorySink()
    createLogger('main', { sink }).child('ipc').info('bound')
    expect(sink.records[0]?.module).toBe('main/ipc')
  })

  it('cannot be bypassed by arrays, bytes, cycles, errors in lists or free-text names', () => {
    const looped: Record<string, unknown> = { attempts: 1 }
    looped['self'] = looped
    const error = Object.assign(new Error('Testpatient Alpha'), {
      detail: 'Testpatient Alpha',
      code: 'Testpatient Alpha',
    })
    const out = redactFields({
      items: [{ patientName: 'Testpatient Alpha', attempts: 2 }],
      errors: [error],
      bytes: Buffer.from('%PDF Testpatient Alpha'),
      detail: 'Testpatient Alpha',
      findings: 'Testpatient Alpha',
      url: 'https://storage.example/object?signature=Testpatient-Alpha',
      looped,
    })
    expect(JSON.stringify(out)).not.toContain('Testpatient')
    expect(out).toMatchObject({
      items: [{ patientName: '[redacted]', attempts: 2 }],
      errors: [{ errorName: 'Error' }],
      bytes: '[binary 22 bytes]',
      url: 'https://storage.example/object',
      looped: { attempts: 1, self: '[circular]' },
    })
  })

  it('withholds a message that is not a constant (an interpolated name, date or error message)', () => {
    const sink = memorySink()
    const log = createLogger('main', { sink })
    log.info('attachment URL refused; asking for a fresh one')
    log.info('opening Testpatient Alpha')
    log.info('born 1970-01-01')
    log.info("Cannot read properties of undefined (reading 'x')")
    expect(sink.records.map((r) => r.message)).toEqual([
      'attachment URL refused; asking for a fresh one',
      WITHHELD_MESSAGE,
      WITHHELD_MESSAGE,
      WITHHELD_MESSAGE,
    ])
  })

  it('keeps string values only as identifier-like tokens without a date, in lists too', () => {
    const out = redactFields({
      path: 'core/outbox',
      free: 'Testpatient Alpha',
      when: '1970-01-01',
      list: ['ok-1', 'Testpatient Alpha', '01/02/1970'],
      startedAt: '2026-01-01T10:00:00.000Z',
      requestId: 'born 1970-01-01',
      reason: 'sender is a sub-frame',
    })
    expect(out).toEqual({
      path: 'core/outbox',
      free: '[redacted 17 chars]',
      when: '[redacted date]',
      list: ['ok-1', '[redacted 17 chars]', '[redacted date]'],
      startedAt: '2026-01-01T10:00:00.000Z',
      requestId: '[redacted date]',
      reason: 'sender is a sub-frame',
    })
    expect(redactUntrustedFields({ code: 'E1', value: 'tok-123', count: 2 })).toEqual({
      code: 'E1',
      value: '[redacted 7 chars]',
      count: 2,
    })
  })

  describe('a log write that fails never reaches the caller', () => {
    const enospc = () =>
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })

    it('counts a throwing sink, surfaces it once, and never throws (children share the count)', () => {
      const alarms: string[] = []
      const failing: LogSink = () => {
        throw enospc()
      }
      const log = createLogger('cli', { sink: failing, onWriteFailure: (line) => alarms.push(line) })
      expect(() => log.info('entry queued', { entryId: 'e1' })).not.toThrow()
      expect(() => log.error('command failed', { code: 1 })).not.toThrow()
      expect(() => log.child('outbox').warn('entry held')).not.toThrow()
      expect(log.failedWrites).toBe(3)
      expect(log.child('sync').failedWrites).toBe(3)
      expect(alarms).toEqual(['log writes are failing (1 so far): ENOSPC'])
    })

    it('survives whatever goes wrong before the sink: a clock that is not a date, a field that throws', () => {
      const alarms: string[] = []
      const sink = memorySink()
      const log = createLogger('cli', { sink, now: () => Number.NaN, onWriteFailure: (l) => alarms.push(l) })
      expect(() => log.info('entry queued')).not.toThrow()
      const hostile = {
        get attempts(): number {
          throw new Error('Testpatient Alpha')
        },
      }
      const other = createLogger('cli', { sink, onWriteFailure: (l) => alarms.push(l) })
      expect(() => other.info('entry queued', { nested: hostile })).not.toThrow()
      expect(sink.records).toEqual([])
      expect(alarms).toEqual([
        'log writes are failing (1 so far): RangeError',
        'log writes are failing (1 so far): Error',
      ])
      expect(alarms.join('\n')).not.toContain('Testpatient')
    })

    it('a failing alarm is swallowed too', () => {
      const log = createLogger('cli', {
        sink: () => {
          throw enospc()
        },
        onWriteFailure: () => {
          throw enospc()
        },
      })
      expect(() => log.info('entry queued')).not.toThrow()
      expect(log.failedWrites).toBe(1)
    })

    it('a file sink on a full device (/dev/full, ENOSPC) is counted, not fatal', () => {
      const alarms: string[] = []
      const log = createLogger('cli', { sink: fileSink('/dev/full'), onWriteFailure: (l) => alarms.push(l) })
      for (let i = 0; i < 5; i += 1)
        expect(() => log.info('entry queued', { entryId: `e${i}` })).not.toThrow()
      expect(log.failedWrites).toBe(5)
      expect(alarms).toEqual(['log writes are failing (1 so far): ENOSPC'])
    })
  })
})
