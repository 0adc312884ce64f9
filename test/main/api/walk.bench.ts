/**
 * The worklist walk through the real client against the sandbox on loopback: 5 000 appointments per
 * domain, two domains, pageSize 500 — every page fetched, validated with zod and de-duplicated.
 * Target: under 3 s for the whole walk on this machine class (2 cores), so a refresh never stalls
 * the worklist.
 */
import { expect, test } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { startSandbox } from '../../../src-main/sandbox'
import { clientFor } from '../../support/sandbox-client'

test('walk the pending list of 2 × 5 000 appointments', async ({ bench }) => {
  const sandbox = await startSandbox({ appointments: 5_000, domains: ['acme', 'beta'], seed: 3 })
  const { client } = await clientFor(sandbox, { logger: silentLogger })
  try {
    let count = 0
    const walk = await bench('walkPending (pageSize 500)', async () => {
      count = (await client.walkPending({ pageSize: 500 })).length
    }).run({ iterations: 5, time: 0 })
    expect(count).toBeGreaterThan(8_000)
    expect(walk.latency.mean).toBeLessThan(3_000)
  } finally {
    await client.close()
    await sandbox.close()
  }
})
