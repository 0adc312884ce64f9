import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseConnectionSettings, QubsClient, QubsError } from '../../../src-main/core/api'
import { classifyFailure } from '../../../src-main/core/outbox'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { expectStillSentAfterTheResendWindow } from './resend-window'

/**
 * What a failure says about whether QUBS may have applied the request decides the 23 h rule. A
 * request that never left the machine says nothing; a try the client retried inside one call may
 * have been applied even when the final answer is definitive.
 */
describe('failure history', () => {
  const NOW = Date.UTC(2026, 0, 5)

  it('a request that never left this machine is not "maybe applied"', () => {
    const offline = classifyFailure(new QubsError({ kind: 'network', notSent: true }), NOW, false)
    expect(offline).toMatchObject({ action: 'retry', mayHaveCommitted: false })
    const lost = classifyFailure(new QubsError({ kind: 'network' }), NOW, false)
    expect(lost).toMatchObject({ action: 'retry', mayHaveCommitted: true })
  })

  it('a 429 after a retried try that may have been applied keeps that history', () => {
    const plain = classifyFailure(new QubsError({ kind: 'http', status: 429 }), NOW, false)
    expect(plain).toMatchObject({ action: 'retry', mayHaveCommitted: false })
    const afterLostTry = classifyFailure(
      new QubsError({ kind: 'http', status: 429, earlierTryMayHaveCommitted: true }),
      NOW,
      false,
    )
    expect(afterLostTry).toMatchObject({ action: 'retry', mayHaveCommitted: true })
  })

  it('a domain no longer configured waits for the configuration instead of being held as invalid', () => {
    const decision = classifyFailure(
      new QubsError({
        kind: 'validation',
        issues: { domain: ['domain is not one of the configured domains'] },
      }),
      NOW,
      false,
    )
    expect(decision).toMatchObject({
      action: 'retry',
      retryClass: 'other',
      mayHaveCommitted: false,
      reachedServer: null,
    })
    const invalid = classifyFailure(
      new QubsError({ kind: 'validation', issues: { reportText: ['blank'] } }),
      NOW,
      false,
    )
    expect(invalid).toMatchObject({ action: 'hold', reason: 'invalid' })
  })

  it('refused credentials after a lost answer keep the "maybe applied" history (no resend past 24 h)', () => {
    const decision = classifyFailure(
      new QubsError({ kind: 'auth', earlierTryMayHaveCommitted: true }),
      NOW,
      false,
    )
    expect(decision).toMatchObject({ action: 'retry', mayHaveCommitted: true })
  })

  it('an error from the token endpoint says nothing about the entry: retried, never held, not "maybe applied"', () => {
    for (const status of [404, 410, 422, 500]) {
      const decision = classifyFailure(new QubsError({ kind: 'http', status, notSent: true }), NOW, false)
      expect(decision).toMatchObject({ action: 'retry', mayHaveCommitted: false })
    }
    const unreadable = classifyFailure(new QubsError({ kind: 'invalid-response', notSent: true }), NOW, false)
    expect(unreadable).toMatchObject({ action: 'retry', mayHaveCommitted: false })
  })

  it("a shutdown during the client's back-off is an interruption of something never sent", () => {
    const duringBackoff = new QubsError({ kind: 'aborted', notSent: true })
    expect(classifyFailure(duringBackoff, NOW, true)).toEqual({
      action: 'interrupted',
      mayHaveCommitted: false,
    })
    const midFlight = new QubsError({ kind: 'aborted' })
    expect(classifyFailure(midFlight, NOW, true)).toEqual({ action: 'interrupted', mayHaveCommitted: true })
    const afterLostTry = new QubsError({ kind: 'aborted', notSent: true, earlierTryMayHaveCommitted: true })
    expect(classifyFailure(afterLostTry, NOW, true)).toEqual({
      action: 'interrupted',
      mayHaveCommitted: true,
    })
  })

  it('a report that stayed offline for more than a day is still sent, not held as too old', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qubs-offline-'))
    const vault = new MemoryVault()
    await vault.setSecret('qubs.clientSecret', 'secret')
    // Port 9 on loopback: nothing listens, the connection is refused before anything is sent.
    const settings = parseConnectionSettings({
      tokenUrl: 'http://127.0.0.1:9/oauth2/token',
      apiBaseUrl: 'http://127.0.0.1:9',
      clientId: 'c',
      domains: ['acme'],
    })
    const client = new QubsClient({
      settings,
      vault,
      retry: { maxAttempts: 1 },
    })
    try {
      await expectStillSentAfterTheResendWindow(client, settings, vault, dir)
    } finally {
      await client.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
