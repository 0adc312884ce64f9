import * as crypto from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { harness, PHI, type Harness } from './support'

/**
 * The outbox's two column keys (AES-GCM and the submission-digest HMAC) are imported once per open
 * outbox (issue 14): a raw Buffer handed to createCipheriv or createHmac is imported again on every
 * call. Counted through the module the cipher uses.
 */
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>()
  return {
    ...actual,
    createSecretKey: vi.fn(actual.createSecretKey),
    createCipheriv: vi.fn(actual.createCipheriv),
    createHmac: vi.fn(actual.createHmac),
  }
})

const keyArguments = () => [
  ...vi.mocked(crypto.createCipheriv).mock.calls.map((call) => call[1]),
  ...vi.mocked(crypto.createHmac).mock.calls.map((call) => call[1]),
]

describe('outbox column keys', () => {
  let h: Harness
  beforeEach(() => {
    h = harness()
  })
  afterEach(() => h.cleanup())

  it('imports each key once when the outbox opens, never per enqueue', async () => {
    const outbox = await h.open()
    const importsAtOpen = vi.mocked(crypto.createSecretKey).mock.calls.length
    expect(importsAtOpen).toBe(2)
    vi.mocked(crypto.createCipheriv).mockClear()
    vi.mocked(crypto.createHmac).mockClear()
    for (let i = 0; i < 5; i += 1) {
      await outbox.enqueueReport('acme', `A${i}`, { reportText: PHI.reportText, reportStatus: 'final' })
    }
    expect(vi.mocked(crypto.createSecretKey).mock.calls.length).toBe(importsAtOpen)
    const keys = keyArguments()
    expect(keys.length).toBeGreaterThanOrEqual(10)
    expect(keys.every((key) => key instanceof crypto.KeyObject)).toBe(true)
    outbox.close()
  })
})
