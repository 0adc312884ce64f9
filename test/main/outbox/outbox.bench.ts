/**
 * Outbox speed at the size a busy workstation reaches: every enqueue is a durable COMMIT
 * (synchronous=FULL), so this is mostly fsync. Targets: an enqueue well under 50 ms on a plain disk
 * (the person waits on it after pressing submit), and listing 1 000 entries under 100 ms (the outbox
 * view and `qubs-reporter outbox`).
 */
import { expect, test } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { Outbox } from '../../../src-main/core/outbox'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { harness, TEST_CONNECTION } from './support'

const REPORT = 'Bench report text. '.repeat(200)

test('enqueue a report (durable commit) and list 1 000 entries', async ({ bench }) => {
  const h = harness()
  const outbox = await Outbox.open({
    path: h.path,
    vault: new MemoryVault(),
    logger: silentLogger,
    connection: TEST_CONNECTION,
  })
  try {
    let n = 0
    const enqueue = await bench('enqueueReport', async () => {
      n += 1
      await outbox.enqueueReport('bench', `A${n % 500}`, { reportText: REPORT, reportStatus: 'preliminary' })
    }).run({ iterations: 200, time: 0 })
    expect(enqueue.latency.mean).toBeLessThan(50)

    while (outbox.list().length < 1_000) {
      n += 1
      await outbox.enqueueReport('bench', `A${n % 500}`, { reportText: REPORT, reportStatus: 'final' })
    }
    const list = await bench('list 1 000 entries', () => {
      outbox.list()
    }).run({ iterations: 20, time: 0 })
    expect(list.latency.mean).toBeLessThan(100)
  } finally {
    outbox.close()
    h.cleanup()
  }
})
