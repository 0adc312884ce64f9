import type { Clock, Random } from '../../common/clock'
import type { Logger } from '../../common/logger'
import type { ReadOutcome } from './connectivity-monitor'
import { rethrowAsContract, type ErrorSubject } from './contract-errors'

/**
 * One read from QUBS on behalf of the renderer: its outcome feeds the status indicator (a read is as
 * good a probe of the link as a delivery), and its failure becomes a PHI-free contract error.
 */
/** What every module that reads from QUBS for the renderer is given. */
export interface ReadPorts {
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
  /** Told the outcome of every read, for the status indicator. */
  readonly onRead: (outcome: ReadOutcome) => void
}

export async function readThrough<T>(
  onRead: (outcome: ReadOutcome) => void,
  operation: () => Promise<T>,
  subject: Readonly<ErrorSubject> = {},
): Promise<T> {
  try {
    const result = await operation()
    onRead({ ok: true })
    return result
  } catch (error) {
    onRead({ ok: false, error })
    return rethrowAsContract(error, subject)
  }
}
