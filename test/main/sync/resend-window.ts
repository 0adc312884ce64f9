import { join } from 'node:path'
import { expect } from 'vitest'
import { ManualClock, seededRandom } from '../../../src-main/common/clock'
import { silentLogger } from '../../../src-main/common/logger'
import type { ConnectionSettings, QubsClient } from '../../../src-main/core/api'
import { EntrySender, Outbox, RESEND_SAFE_WINDOW_MS, RetryPolicy } from '../../../src-main/core/outbox'
import type { Vault } from '../../../src-main/core/vault/vault'

/**
 * The 23 h rule end to end: a report is sent through `client` (which must fail without reaching QUBS),
 * then again more than the resend window later. A failure that proves nothing was sent must leave the
 * entry queued, not held as "too old, may already have reached QUBS".
 */
export async function expectStillSentAfterTheResendWindow(
  client: QubsClient,
  connection: ConnectionSettings,
  vault: Vault,
  dir: string,
): Promise<void> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5))
  const outbox = await Outbox.open({
    path: join(dir, 'resend.sqlite'),
    vault,
    clock,
    logger: silentLogger,
    connection,
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
    outbox.close()
  }
}
