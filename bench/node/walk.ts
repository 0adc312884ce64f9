/**
 * Worklist walk (issue #14 §1): the client's full walk (validated, de-duplicated) vs a bare undici loop
 * making the same page requests, pageSize 100, same sandbox on loopback, interleaved rounds.
 */
import { silentLogger } from '../../src-main/common/logger'
import { startSandbox } from '../../src-main/sandbox'
import { clientFor } from '../../test/support/sandbox-client'
import { ratioResult, type MetricResult } from '../results-schema'
import { compareInterleaved } from '../rounds'
import { bareConnect, bareWalk } from './bare-http'

const PAGE_SIZE = 100

export async function walkRatio(appointments: number, rounds: number): Promise<MetricResult> {
  const sandbox = await startSandbox({ appointments, domains: ['demo'], seed: 3 })
  const { client } = await clientFor(sandbox, { logger: silentLogger })
  const bare = await bareConnect(sandbox)
  try {
    const counts = { app: 0, floor: 0 }
    const comparison = await compareInterleaved({
      app: {
        name: 'QubsClient.walkPending',
        run: async () => (counts.app = (await client.walkPending({ pageSize: PAGE_SIZE })).length),
      },
      floor: {
        name: 'bare undici loop',
        run: async () => (counts.floor = await bareWalk(bare, 'demo', PAGE_SIZE)),
      },
      rounds,
      warmupRounds: 1,
    })
    if (counts.app !== counts.floor || counts.app === 0) {
      throw new Error(`the two walks disagree: ${counts.app} vs ${counts.floor} appointments`)
    }
    return ratioResult(comparison, `${counts.app} appointments, ${rounds} rounds`)
  } finally {
    await client.close()
    await bare.dispatcher.close()
    await sandbox.close()
  }
}
