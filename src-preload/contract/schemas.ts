import './zod-setup'
import { z } from 'zod'

/**
 * Shapes that cross the IPC bridge. They are the renderer's view of the world: derived from, but not
 * identical to, the QUBS API shapes that main validates on the wire.
 */

export const AppModeSchema = z.enum(['demo', 'configured'])

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: AppModeSchema,
  /** Runtime versions, for the About box and support calls. */
  runtime: z.object({ node: z.string(), electron: z.string().optional(), chrome: z.string().optional() }),
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const ConnectivityStateSchema = z.enum(['online', 'offline', 'credentials-refused', 'unknown'])
export type ConnectivityState = z.infer<typeof ConnectivityStateSchema>

/**
 * What main knows of its link to QUBS, judged from real requests (never from OS online events alone):
 * `offline` means QUBS could not be reached, `credentials-refused` that it answered but refused the
 * client credentials or the domain, `unknown` that nothing has been tried yet.
 */
export const ConnectivitySchema = z.object({
  state: ConnectivityStateSchema,
  /** When the last request to QUBS succeeded (ISO 8601 UTC), if ever. */
  lastSuccessAt: z.iso.datetime().nullable(),
  /** When a request to QUBS was last tried (ISO 8601 UTC), if ever. */
  lastAttemptAt: z.iso.datetime().nullable(),
  /** A short, PHI-free explanation for the person (e.g. "QUBS refused the client credentials"). */
  detail: z.string().max(500).optional(),
})
export type Connectivity = z.infer<typeof ConnectivitySchema>
