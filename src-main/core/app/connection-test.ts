import type { ConnectionTest } from '../../../src-preload/contract/setup-schemas'
import { systemClock, type Clock } from '../../common/clock'
import type { Logger } from '../../common/logger'
import { QubsClient, type ConnectionSettings } from '../api'
import { MemoryVault } from '../vault/vault'
import { explainConnectionFailure } from './connection-problem'

/**
 * "Test connection": a token, then the first worklist page of each domain, with a throwaway client
 * that has its own in-memory vault — the running services, their tokens and the stored secret are not
 * touched, so testing a typo cannot log the workstation out. Retries are few and timeouts short: the
 * person is waiting at the form, and a wrong address should say so in seconds, not minutes.
 */
export interface ConnectionTestOptions {
  readonly settings: ConnectionSettings
  readonly clientSecret: string
  readonly logger: Logger
  readonly clock?: Clock
}

const TEST_TIMEOUTS = { connectMs: 5_000, headersMs: 10_000, bodyMs: 10_000, operationMs: 20_000 } as const
const TEST_RETRY = { maxAttempts: 2, baseDelayMs: 200, capDelayMs: 1_000, maxRetryAfterMs: 2_000 } as const

type Step = ConnectionTest['steps'][number]

export async function runConnectionTest(options: Readonly<ConnectionTestOptions>): Promise<ConnectionTest> {
  const clock = options.clock ?? systemClock
  const logger = options.logger.child('connection-test')
  const vault = new MemoryVault()
  await vault.setSecret('qubs.clientSecret', options.clientSecret)
  const client = new QubsClient({
    settings: options.settings,
    vault,
    clock,
    logger,
    timeouts: TEST_TIMEOUTS,
    retry: TEST_RETRY,
  })
  const steps: Step[] = []
  const timed = async <T>(
    run: () => Promise<T>,
  ): Promise<{ ms: number } & ({ value: T } | { error: unknown })> => {
    const started = clock.now()
    try {
      const value = await run()
      return { ms: Math.max(0, Math.round(clock.now() - started)), value }
    } catch (error) {
      return { ms: Math.max(0, Math.round(clock.now() - started)), error }
    }
  }
  try {
    // The token grant alone is not exposed; checkConnection gets one and fails with `auth` when refused.
    const token = await timed(() => client.checkConnection())
    steps.push({ name: 'token', ok: !('error' in token), ms: token.ms })
    if ('error' in token) {
      return failed(steps, token.error, { step: 'token', url: options.settings.tokenUrl }, logger)
    }
    let worklistCount = 0
    for (const domain of options.settings.domains) {
      const page = await timed(() => client.listPendingPage(domain))
      steps.push({ name: 'worklist', domain, ok: !('error' in page), ms: page.ms })
      if ('error' in page) {
        return failed(
          steps,
          page.error,
          { step: 'worklist', url: options.settings.apiBaseUrl, domain },
          logger,
        )
      }
      worklistCount += page.value.items.length
    }
    logger.info('connection test passed', { domains: options.settings.domains.length })
    return { ok: true, steps, worklistCount }
  } finally {
    await client.close()
  }
}

function failed(
  steps: Step[],
  error: unknown,
  context: Parameters<typeof explainConnectionFailure>[1],
  logger: Logger,
): ConnectionTest {
  const problem = explainConnectionFailure(error, context)
  logger.info('connection test failed', {
    step: context.step,
    status: problem.status,
    requestId: problem.requestId,
  })
  return { ok: false, steps, error: problem }
}
