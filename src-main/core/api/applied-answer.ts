import { QubsError } from './errors'

/**
 * The result of a POST that QUBS applied (it answered 2xx) but whose answer body could not be read:
 * empty, cut short, not JSON or not in the documented shape. It is a success — the submission is in
 * QUBS — with the receipt lost; it carries the ids support needs to find it, and never PHI. Callers
 * must not resend it (that is what made such answers look like failures worth retrying).
 */
export interface AnswerUnreadable {
  readonly answerUnreadable: true
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly correlationId: string | undefined
}

/** The POST's parsed answer, or AnswerUnreadable when QUBS applied it but the answer is unusable. */
export async function orAnswerUnreadable<T>(post: Promise<T>): Promise<T | AnswerUnreadable> {
  try {
    return await post
  } catch (error) {
    if (!(error instanceof QubsError) || !error.answerUnreadable) throw error
    return {
      answerUnreadable: true,
      status: error.status,
      requestId: error.requestId,
      correlationId: error.correlationId,
    }
  }
}

export function isAnswerUnreadable(value: unknown): value is AnswerUnreadable {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { answerUnreadable?: unknown }).answerUnreadable === true
  )
}
