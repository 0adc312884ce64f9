import type { Clock, Random } from '../../common/clock'
import type { Logger } from '../../common/logger'
import { rethrowAsContract, type ErrorSubject } from './contract-errors'

/**
 * One read from QUBS on behalf of the renderer: its failure becomes a PHI-free contract error. (Its
 * outcome reaches the status indicator through the client itself: `QubsClient.onOutcome` feeds the
 * sync engine's connectivity for every call, reads and deliveries alike.)
 */
/** What every module that reads from QUBS for the renderer is given. */
export interface ReadPorts {
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
}

export async function readThrough<T>(
  operation: () => Promise<T>,
  subject: Readonly<ErrorSubject> = {},
): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    return rethrowAsContract(error, subject)
  }
}
