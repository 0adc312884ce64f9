import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src-main/common/clock'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { RendererLogWriter } from '../../../src-main/core/app/renderer-log'

function writer(burst = 5, perSecond = 1) {
  const sink = memorySink()
  const clock = new ManualClock()
  const log = new RendererLogWriter({ logger: createLogger('main', { sink }), clock, burst, perSecond })
  return { sink, clock, log }
}

describe('renderer log records in main', () => {
  it('are written under the renderer scope with the level asked, strings kept only for allowed names', () => {
    const { sink, log } = writer()
    expect(
      log.write({
        level: 'warn',
        scope: 'attachments/pdf',
        message: 'page render failed',
        fields: { code: 'E1', hint: 'x' },
      }),
    ).toBeNull()
    expect(sink.records).toEqual([
      expect.objectContaining({
        level: 'warn',
        module: 'main/renderer/attachments/pdf',
        message: 'page render failed',
        fields: { code: 'E1', hint: '[redacted 1 chars]' },
      }),
    ])
  })

  it('are rate-limited so a looping page cannot fill the disk, and the drops are told once records flow again', () => {
    const { sink, clock, log } = writer(5, 1)
    for (let i = 0; i < 1_000; i += 1) log.write({ level: 'error', scope: 'shell', message: 'render failed' })
    expect(sink.records).toHaveLength(5)
    expect(log.dropped).toBe(995)
    clock.advance(1_000)
    log.write({ level: 'error', scope: 'shell', message: 'render failed' })
    expect(sink.records.slice(5).map((r) => [r.message, r.fields])).toEqual([
      ['renderer log records dropped by the rate limit', { count: 995 }],
      ['render failed', {}],
    ])
    expect(log.dropped).toBe(0)
  })
})
