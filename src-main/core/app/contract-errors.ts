import type { IpcErrorCode } from '../../../src-preload/contract/errors'
import { ContractError } from '../../../src-preload/contract/server'
import { AttachmentWithoutContentError, QubsError } from '../api'
import { OutboxError } from '../outbox'

/**
 * Turns what the core throws into the contract's errors, with the ids support needs (requestId,
 * correlation id) and never PHI: messages are built from codes, statuses and appointment ids only —
 * never from the server's `detail`, which may quote the request.
 */
export interface ErrorSubject {
  /** What was asked for, to name in a not-found message (ids are not PHI). */
  readonly appointmentId?: string
}

export function toContractError(error: unknown, subject: Readonly<ErrorSubject> = {}): ContractError | null {
  if (error instanceof ContractError) return error
  if (error instanceof QubsError) return fromQubsError(error, subject)
  if (error instanceof OutboxError) return fromOutboxError(error)
  return null
}

/** Rethrows as a ContractError when the error is one we know; anything else stays `internal`. */
export function rethrowAsContract(error: unknown, subject: Readonly<ErrorSubject> = {}): never {
  throw toContractError(error, subject) ?? error
}

function fromQubsError(error: QubsError, subject: Readonly<ErrorSubject>): ContractError {
  const ids = {
    ...(error.requestId ? { requestId: error.requestId } : {}),
    ...(error.correlationId ? { correlationId: error.correlationId } : {}),
  }
  const [code, message] = describeQubsError(error, subject)
  const withIds = [message, error.requestId && `requestId ${error.requestId}`].filter(Boolean).join('; ')
  return new ContractError(code, withIds, ids)
}

function describeQubsError(error: QubsError, subject: Readonly<ErrorSubject>): [IpcErrorCode, string] {
  // Listed, but with no file behind it yet: asking again later may help, "try again" now does not.
  if (error instanceof AttachmentWithoutContentError)
    return ['no-content', 'QUBS has no content for this file yet']
  switch (error.kind) {
    case 'network':
      return ['network', 'QUBS could not be reached']
    case 'timeout':
      return ['network', 'QUBS did not answer in time']
    case 'auth':
      return ['auth', 'QUBS refused the credentials']
    case 'validation':
      return ['validation', `invalid input: ${Object.keys(error.issues).join(', ') || 'see the form'}`]
    case 'invalid-response':
      return ['unavailable', 'QUBS sent an answer in an unexpected shape']
    case 'aborted':
      return ['unavailable', 'the request was cancelled']
    case 'http':
      return describeStatus(error.status ?? 0, subject)
  }
}

function describeStatus(status: number, subject: Readonly<ErrorSubject>): [IpcErrorCode, string] {
  if (status === 404) {
    const what = subject.appointmentId ? `Appointment ${subject.appointmentId}` : 'The appointment'
    return ['not-found', `${what} is not found or no longer pending reporting`]
  }
  if (status === 401) return ['auth', 'QUBS refused the credentials']
  if (status === 403) return ['auth', 'QUBS refused access to this domain or site']
  if (status === 409) return ['conflict', 'QUBS reported a conflict with an earlier submission']
  if (status === 400 || status === 413 || status === 422)
    return ['validation', `QUBS refused the input (${status})`]
  if (status === 429) return ['unavailable', 'QUBS is busy; try again shortly']
  return ['unavailable', `QUBS answered ${status}`]
}

function fromOutboxError(error: OutboxError): ContractError {
  // Outbox messages name entry ids and states only (see core/outbox): safe to pass on.
  switch (error.code) {
    case 'not-found':
      return new ContractError('not-found', error.message)
    case 'invalid-input':
      return new ContractError('validation', error.message)
    case 'not-configured':
      return new ContractError('validation', error.message)
    case 'bad-state':
    case 'unreadable':
    case 'purged':
    case 'key-conflict':
      return new ContractError('conflict', error.message)
    case 'closed':
    case 'export-failed':
      return new ContractError('unavailable', error.message)
  }
}
