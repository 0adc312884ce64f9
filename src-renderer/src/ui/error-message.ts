import { IpcErrorCodeSchema, QubsIpcError, type IpcErrorCode } from '../../../src-preload/contract'

/**
 * A message for the person from anything thrown. Errors from the bridge are PHI-free by contract
 * (codes, request ids); anything else gets a generic text rather than its raw content.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong; try again.'
}

export interface IpcFailure {
  readonly code: IpcErrorCode
  readonly requestId: string | undefined
}

/**
 * The contract error behind `error`, if it is one: its code (checked against the contract's list) and
 * request id. Recognised by class or by name and fields, so a QubsIpcError built by another copy of
 * the contract (a separately bundled bridge) is read the same way.
 */
export function ipcFailureOf(error: unknown): IpcFailure | null {
  if (!(error instanceof QubsIpcError) && !(error instanceof Error && error.name === 'QubsIpcError'))
    return null
  const fields = error as Partial<Record<'code' | 'requestId', unknown>>
  const code = IpcErrorCodeSchema.safeParse(fields.code)
  if (!code.success) return null
  return { code: code.data, requestId: typeof fields.requestId === 'string' ? fields.requestId : undefined }
}
