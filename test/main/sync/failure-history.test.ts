import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ManualClock, seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import { parseConnectionSettings, QubsClient, QubsError } from '../../../src-main/core/api'
import {
  classifyFailure,
  EntrySender,
  Outbox,
  RESEND_SAFE_WINDOW_MS,
  RetryPolicy,
} from '../../../src-main/core/outbox'
import { MemoryVault } from '../../../src-main/core/vault/vault'

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
    const clock = new ManualClock(NOW)
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
    const outbox = await Outbox.open({
      path: join(dir, 'o.sqlite'),
      vault,
      clock,
      logger: silentLogger,
      connection: settings,
    })
    const sender = new EntrySender({
      ledger: outbox.delivery,
      port: client,
      clock,
      policy: new RetryPolicy({ random: seededRandom(1), baseMs: 1_000, maxMs: 60_000 }),
      logger: silentLogger,
    })
    try {
      const entry = await outbox.enqueueReport('acme', 'A1', {
        reportText: 'Offline report.',
        reportStatus: 'final',
      })
      const sendDue = async () => {
        const [ticket] = outbox.delivery.dueHeads({ now: clock.now(), exclude: new Set(), limit: 1 }).ready
        return sender.send(ticket!, new AbortController().signal)
      }
      expect((await sendDue()).result).toBe('retry')
      expect(outbox.attempts(entry.id)).toMatchObject([{ mayHaveCommitted: false }])
      clock.advance(RESEND_SAFE_WINDOW_MS + 30 * 60_000)
      expect((await sendDue()).result).toBe('retry')
      expect(outbox.get(entry.id)).toMatchObject({ state: 'queued', heldReason: null })
    } finally {
      await client.close()
      outbox.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
