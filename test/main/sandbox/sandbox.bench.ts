/**
 * Speed at full size (the unit tests check correctness at 50 000; timing belongs here):
 * generating 50 000 appointments, and starting a sandbox of that size plus a full HTTP paging walk.
 */
import { describe, test } from 'vitest'
import { startSandbox } from '../../../src-main/sandbox/index'
import { generateDomain } from '../../../src-main/sandbox/seed'
import { getToken, walkPending } from './helpers'

describe('sandbox at 50 000 appointments', () => {
  test('generate 50 000 appointments', async ({ bench }) => {
    await bench('generateDomain(50 000)', () => {
      generateDomain({ seed: 1, domain: 'demo', count: 50_000, anchorMs: Date.UTC(2026, 0, 1) })
    }).run({ iterations: 3, time: 0 })
  })

  test('start and walk the whole pending list over HTTP', async ({ bench }) => {
    await bench('startSandbox(50 000) + walk (pageSize 500)', async () => {
      const sandbox = await startSandbox({ appointments: 50_000 })
      try {
        await walkPending(sandbox, await getToken(sandbox), 'demo', 500)
      } finally {
        await sandbox.close()
      }
    }).run({ iterations: 1, time: 0 })
  })
})
