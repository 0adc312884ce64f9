import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src-main/common/clock'
import { QubsClient } from '../../../src-main/core/api'
import { MAX_REPORT_TEXT_BYTES } from '../../../src-main/core/api/validation'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { qubsFailure } from './support'

/**
 * The client and the sandbox, written apart from the same reference, agree on what a report may be:
 * the limit is on reportText's UTF-8 bytes (2 097 152), however large JSON escaping makes the body,
 * and the largest provider number the client accepts is accepted by the sandbox too.
 */
let sandbox: RunningSandbox
let client: QubsClient
let pending: string[]

beforeAll(async () => {
  sandbox = await startSandbox({ appointments: 10, seed: 3, domains: ['acme'] })
  const vault = new MemoryVault()
  await vault.setSecret('qubs.clientSecret', sandbox.clientSecret)
  client = new QubsClient({
    settings: {
      tokenUrl: sandbox.tokenUrl,
      apiBaseUrl: sandbox.apiBaseUrl,
      clientId: sandbox.clientId,
      domains: ['acme'],
    },
    vault,
    random: seededRandom(9),
    retry: { maxAttempts: 1 },
  })
  pending = sandbox.admin.pendingAppointmentIds('acme', 5)
})

afterAll(async () => {
  await client.close()
  await sandbox.close()
})

describe('report limits, client and sandbox together', () => {
  it('a report of 2 097 152 bytes of control characters is accepted by both', async () => {
    const receipt = await client.submitReport(
      'acme',
      pending[0]!,
      { reportText: '\u0001'.repeat(MAX_REPORT_TEXT_BYTES), reportStatus: 'final' },
      { idempotencyKey: 'limits-1' },
    )
    expect(receipt).toMatchObject({ reportStatus: 'final' })
  })

  it('one byte more is refused by the client before anything is sent', async () => {
    const error = await qubsFailure(
      client.submitReport(
        'acme',
        pending[1]!,
        { reportText: '\u0001'.repeat(MAX_REPORT_TEXT_BYTES + 1), reportStatus: 'final' },
        { idempotencyKey: 'limits-2' },
      ),
    )
    expect(error).toMatchObject({ kind: 'validation' })
    expect(error.issues.reportText).toBeDefined()
  })

  it('the longest provider number the client accepts is accepted by the sandbox', async () => {
    const receipt = await client.submitReport(
      'acme',
      pending[2]!,
      { reportText: 'Text.', reportStatus: 'final', interpretingClinicianProviderNumber: 'P'.repeat(255) },
      { idempotencyKey: 'limits-3' },
    )
    expect(receipt).toMatchObject({ reportStatus: 'final' })
  })
})
