import { describe, expect, it } from 'vitest'
import { draftKey, ReporterDatabase } from '../../src-renderer/src/db/database'

describe('renderer database', () => {
  it('keeps a draft across a reopen (what a reload does)', async () => {
    const name = `test-${crypto.randomUUID()}`
    const first = new ReporterDatabase(name)
    const key = draftKey('demo', 'A1')
    await first.drafts.put({
      key,
      domain: 'demo',
      appointmentId: 'A1',
      text: 'Findings: none.',
      updatedAt: 1,
    })
    first.close()
    const second = new ReporterDatabase(name)
    expect((await second.drafts.get(key))?.text).toBe('Findings: none.')
    await second.delete()
  })
})
