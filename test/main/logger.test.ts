import { describe, expect, it } from 'vitest'
import { createLogger, memorySink, redactFields } from '../../src-main/common/logger'

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
})
