import './zod-setup'
import { z } from 'zod'

/**
 * The desktop app's own capabilities: connection setup (first run and settings), the PACS image
 * viewer link, support information and the progress/notice events main pushes. Never carries the
 * client secret outward: the renderer may send one (to test or save) but only ever reads whether one
 * is stored.
 */

const urlText = z.url({ protocol: /^https?$/ }).max(2000)
const domainText = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/, { error: 'a domain is letters, digits, dot, dash or underscore' })

/** The connection as the person types it. The secret may be left out to keep the one in the vault. */
export const ConnectionInputSchema = z.object({
  tokenUrl: urlText,
  apiBaseUrl: urlText,
  clientId: z.string().min(1).max(256),
  domains: z.array(domainText).min(1).max(50),
  clientSecret: z.string().min(1).max(4096).optional(),
})
export type ConnectionInput = z.infer<typeof ConnectionInputSchema>

export const ConnectionFieldSchema = z.enum(['tokenUrl', 'apiBaseUrl', 'clientId', 'domains', 'clientSecret'])
export type ConnectionField = z.infer<typeof ConnectionFieldSchema>

/** Where a connection field's value came from: the environment (a managed deployment, locked) or the person. */
export const ConnectionSourceSchema = z.enum(['env', 'user'])

/**
 * `mode` is what the person chose: `unconfigured` until they pick (the demo sandbox runs meanwhile,
 * so `running` is `demo` and `firstRun` is true), `demo`, or `configured` (environment or saved).
 */
export const ConnectionSetupSchema = z.object({
  mode: z.enum(['demo', 'configured', 'unconfigured']),
  running: z.enum(['demo', 'configured']),
  firstRun: z.boolean(),
  connection: z
    .object({
      tokenUrl: z.string(),
      apiBaseUrl: z.string(),
      clientId: z.string(),
      domains: z.array(z.string()),
      hasClientSecret: z.boolean(),
    })
    .nullable(),
  /** Per field that has a value; an `env` field names its variable in `envVariables` and cannot be saved. */
  sources: z.partialRecord(ConnectionFieldSchema, ConnectionSourceSchema),
  envVariables: z.partialRecord(ConnectionFieldSchema, z.string()),
})
export type ConnectionSetup = z.infer<typeof ConnectionSetupSchema>

export const ConnectionTestStepSchema = z.object({
  name: z.enum(['token', 'worklist']),
  /** The domain a worklist step read; absent for the token step. */
  domain: z.string().optional(),
  ok: z.boolean(),
  ms: z.number().int().nonnegative(),
})

/** A failure explained for the person ("QUBS refused the client id or secret"), with the server's ids. */
export const ConnectionProblemSchema = z.object({
  message: z.string().max(1000),
  requestId: z.string().max(256).optional(),
  correlationId: z.string().max(256).optional(),
  status: z.number().int().optional(),
})

export const ConnectionTestSchema = z.object({
  ok: z.boolean(),
  steps: z.array(ConnectionTestStepSchema),
  /** Appointments on the first worklist page of every domain together. */
  worklistCount: z.number().int().nonnegative().optional(),
  error: ConnectionProblemSchema.optional(),
})
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>

/** What `openImageViewer` opened (the person's own PACS; the renderer already knows the values in it). */
export const ImageViewerOpenedSchema = z.object({ url: z.string().max(4000) })
export type ImageViewerOpened = z.infer<typeof ImageViewerOpenedSchema>

/** "Copy support information": plain text without PHI, ready for the clipboard. */
export const SupportInfoSchema = z.object({ text: z.string().max(200_000) })
export type SupportInfo = z.infer<typeof SupportInfoSchema>

export const DiagnosticsExportSchema = z.object({ path: z.string().max(4096) })
export type DiagnosticsExport = z.infer<typeof DiagnosticsExportSchema>

/** The outbox drain: `delivered` of `total` entries that were waiting when this drain began. */
export const OutboxDrainProgressSchema = z.object({
  draining: z.boolean(),
  delivered: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  sending: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
})
export type OutboxDrainProgress = z.infer<typeof OutboxDrainProgressSchema>

/** Main asks the page to refresh the worklist: woken from sleep, the network came back, or the connection changed. */
export const WorklistStaleSchema = z.object({ reason: z.enum(['resume', 'network', 'connection-changed']) })
export type WorklistStale = z.infer<typeof WorklistStaleSchema>

/** A desktop notification main showed (for the page's own notice list and for tests); PHI only if allowed. */
export const NotificationShownSchema = z.object({
  kind: z.enum(['held', 'due-soon']),
  title: z.string().max(200),
  body: z.string().max(1000),
})
export type NotificationShown = z.infer<typeof NotificationShownSchema>
