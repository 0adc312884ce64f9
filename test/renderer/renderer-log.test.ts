import { describe, expect, it } from 'vitest'
import type { RendererLog } from '../../src-preload/contract'
import {
  createRendererLogger,
  errorFields,
  installGlobalErrorLogging,
} from '../../src-renderer/src/bridge/log'
import { installFakeBridge } from './fake-bridge'

function recordingBridge() {
  const records: RendererLog[] = []
  installFakeBridge({
    logFromRenderer: async (record) => {
      records.push(record)
      return null
    },
  })
  return records
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('renderer log (through main)', () => {
  it('sends a record with its scope, level and scalar fields; an error by name and code, never its message', async () => {
    const records = recordingBridge()
    const error = Object.assign(new Error('Report for Testpatient Alpha failed'), { code: 'E_PDF' })
    createRendererLogger('attachments/pdf').warn('page render failed', { ...errorFields(error), page: 3 })
    await settle()
    expect(records).toEqual([
      {
        level: 'warn',
        scope: 'attachments/pdf',
        message: 'page render failed',
        fields: { errorName: 'Error', errorCode: 'E_PDF', page: 3 },
      },
    ])
    expect(JSON.stringify(records)).not.toContain('Testpatient')
  })

  it('never throws, without a bridge or when main fails', async () => {
    expect(() => createRendererLogger('shell').error('refresh failed')).not.toThrow()
    installFakeBridge({
      logFromRenderer: async () => {
        throw new Error('main is gone')
      },
    })
    expect(() => createRendererLogger('shell').error('refresh failed')).not.toThrow()
    await settle()
  })

  it('logs uncaught page errors and unhandled rejections by name only', async () => {
    const records = recordingBridge()
    const uninstall = installGlobalErrorLogging(window)
    window.dispatchEvent(new ErrorEvent('error', { error: new TypeError('Testpatient Alpha undefined') }))
    const rejection = new Event('unhandledrejection') as PromiseRejectionEvent
    Object.defineProperty(rejection, 'reason', { value: new RangeError('Testpatient Alpha') })
    window.dispatchEvent(rejection)
    uninstall()
    await settle()
    expect(records.map((r) => [r.scope, r.message, r.fields])).toEqual([
      ['window', 'uncaught error in the page', { errorName: 'TypeError' }],
      ['window', 'unhandled rejection in the page', { errorName: 'RangeError' }],
    ])
  })
})
