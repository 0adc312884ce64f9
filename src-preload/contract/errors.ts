import './zod-setup'
import { z } from 'zod'

/**
 * How a failed IPC call is described to the renderer. Messages are written for the person at the
 * workstation and never carry PHI: main builds them from error codes and server request ids only.
 */
export const IpcErrorCodeSchema = z.enum([
  'invalid-arguments',
  'invalid-result',
  'refused',
  'unavailable',
  'validation',
  'not-found',
  /** The item exists but QUBS has nothing to hand over yet (an attachment without a file). */
  'no-content',
  'conflict',
  'auth',
  'network',
  'internal',
])
export type IpcErrorCode = z.infer<typeof IpcErrorCodeSchema>

export const IpcErrorSchema = z.object({
  code: IpcErrorCodeSchema,
  message: z.string(),
  requestId: z.string().optional(),
  correlationId: z.string().optional(),
})
export type IpcError = z.infer<typeof IpcErrorSchema>

/** Every invoke answers with this envelope, so errors cross the bridge as data, not as thrown strings. */
export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: IpcErrorSchema }),
  ])
}

/** The error the preload raises in the renderer when main answered with `{ ok: false }`. */
export class QubsIpcError extends Error {
  readonly code: IpcErrorCode
  readonly requestId: string | undefined
  readonly correlationId: string | undefined

  constructor(error: IpcError) {
    super(error.message)
    this.name = 'QubsIpcError'
    this.code = error.code
    this.requestId = error.requestId
    this.correlationId = error.correlationId
  }
}
