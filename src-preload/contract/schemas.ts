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

export const ConnectivitySchema = z.object({
  state: z.enum(['online', 'offline', 'unknown']),
  /** When the last request to QUBS succeeded (ISO 8601 UTC), if ever. */
  lastSuccessAt: z.iso.datetime().nullable(),
})
export type Connectivity = z.infer<typeof ConnectivitySchema>
