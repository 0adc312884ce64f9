import {
  SettingsSchema,
  type Settings,
  type SettingsPatch,
  type SettingsView,
} from '../../src-preload/contract/settings-schemas'
import { QubsIpcError, type ApiMethods } from '../../src-preload/contract'

/**
 * Main's settings store in memory for DOM tests: validated like main (the whole schema, fields fixed
 * by the environment refused by name), sources per field, and every saved patch recorded. It outlives
 * a render, so a "reload" of the page reads what was saved.
 */
export function fakeSettings(
  options: Readonly<{
    user?: SettingsPatch
    env?: Readonly<Record<string, { value: unknown; variable: string }>>
  }> = {},
) {
  let user: Record<string, Record<string, unknown>> = structuredClone(
    (options.user ?? {}) as Record<string, Record<string, unknown>>,
  )
  const env = options.env ?? {}
  const patches: SettingsPatch[] = []
  const compose = (fields: typeof user) => {
    const merged: Record<string, Record<string, unknown>> = structuredClone(fields)
    for (const [path, { value }] of Object.entries(env)) {
      const [section, field] = path.split('.') as [string, string]
      merged[section] = { ...merged[section], [field]: value }
    }
    return merged
  }
  const view = (): SettingsView => {
    const sources: SettingsView['sources'] = {}
    const envVariables: Record<string, string> = {}
    for (const [section, fields] of Object.entries(user))
      for (const field of Object.keys(fields)) sources[`${section}.${field}`] = 'user'
    for (const [path, { variable }] of Object.entries(env)) {
      sources[path] = 'env'
      envVariables[path] = variable
    }
    return { settings: SettingsSchema.parse(compose(user)), sources, envVariables }
  }
  const methods: Pick<ApiMethods, 'getSettings' | 'updateSettings'> = {
    getSettings: async () => view(),
    updateSettings: async (patch) => {
      const locked = Object.entries(patch).flatMap(([s, f]) =>
        Object.keys(f ?? {})
          .map((k) => `${s}.${k}`)
          .filter((p) => env[p]),
      )
      if (locked.length)
        throw new QubsIpcError({ code: 'refused', message: `${locked.join(', ')} is set by the environment` })
      const next = structuredClone(user)
      for (const [section, fields] of Object.entries(patch)) next[section] = { ...next[section], ...fields }
      const checked = SettingsSchema.safeParse(compose(next))
      if (!checked.success) {
        const where = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        throw new QubsIpcError({ code: 'validation', message: `settings not saved: ${where}` })
      }
      user = next
      patches.push(patch)
      return view()
    },
  }
  return {
    methods,
    patches,
    get settings(): Settings {
      return view().settings
    },
  }
}
