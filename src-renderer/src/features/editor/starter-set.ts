import { z } from 'zod'
import { ReportMacroSchema, ReportTemplateSchema } from '../../../../src-preload/contract'
import starterSetJson from '../../../../resources/editor/starter-set.json'

/**
 * The templates and macros a new installation starts with (resources/editor/starter-set.json, our own
 * words), until the person edits theirs (settings.editor.templates / macros stop being null). Checked
 * with the settings' own schemas when the module loads, so a broken file fails the build's tests and
 * the first render, never a report. Ids and shortcuts are unique, or the picker and expansion could
 * not tell two apart.
 */
export const StarterSetSchema = z.object({
  version: z.literal(1),
  templates: z
    .array(ReportTemplateSchema)
    .min(1)
    .refine((items) => unique(items.map((item) => item.id)), { error: 'template ids must be unique' }),
  macros: z
    .array(ReportMacroSchema)
    .min(1)
    .refine((items) => unique(items.map((item) => item.id)), { error: 'macro ids must be unique' })
    .refine((items) => unique(items.map((item) => item.shortcut.toLowerCase())), {
      error: 'macro shortcuts must be unique (ignoring case)',
    }),
})
export type StarterSet = z.infer<typeof StarterSetSchema>

export const starterSet: StarterSet = StarterSetSchema.parse(starterSetJson)

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length
}
