import './zod-setup'
import { z } from 'zod'

/**
 * A log record the renderer hands to main (`logFromRenderer`): main writes it to its rotating file log
 * through the same redacting logger as its own records. Deliberately small and strict: a fixed message
 * (free text is withheld by the logger), a scope naming the renderer module, and a few scalar fields —
 * never an object, which could carry a whole appointment. Main also rate-limits these records.
 */
export const RendererLogLevelSchema = z.enum(['debug', 'info', 'warn', 'error'])

/** `shell`, `attachments/pdf`: lowercase module names, at most three levels. */
const scope = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9-]{0,31}(\/[a-z][a-z0-9-]{0,31}){0,2}$/, { error: 'scope must be a module name' })

const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, { error: 'field names are identifiers' })
const fieldValue = z.union([z.string().max(200), z.number().finite(), z.boolean(), z.null()])

export const MAX_RENDERER_LOG_FIELDS = 8

export const RendererLogSchema = z.strictObject({
  level: RendererLogLevelSchema,
  scope,
  message: z.string().min(1).max(200),
  fields: z
    .record(fieldName, fieldValue)
    .refine((fields) => Object.keys(fields).length <= MAX_RENDERER_LOG_FIELDS, {
      error: `at most ${MAX_RENDERER_LOG_FIELDS} fields`,
    })
    .optional(),
})
export type RendererLog = z.infer<typeof RendererLogSchema>
