import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  SettingsSchema,
  type Settings,
  type SettingsPatch,
  type SettingSource,
  type SettingsView,
} from '../../../src-preload/contract/settings-schemas'
import { ContractError } from '../../../src-preload/contract/server'
import { writeFileDurably } from '../../common/durable-file'
import type { Logger } from '../../common/logger'

/**
 * The person's settings in one JSON file (no PHI, no secrets), owned by main so every window and the
 * shortcuts main registers see the same values. Read leniently, field by field: a value an older
 * version wrote that no longer fits falls back to its default, and everything else is kept — a
 * settings file must never cost a person their templates because one number went out of range.
 * Written strictly: a change that does not fit is refused whole, with the fields named.
 *
 * A managed deployment may fix settings from the environment (`overrides`); those win, are shown with
 * their variable, and cannot be changed from the app (refused, not silently ignored).
 */
export interface SettingOverride {
  /** The environment variable the value came from, shown to the person. */
  readonly variable: string
  readonly value: unknown
}

export interface SettingsStoreOptions {
  readonly filePath: string
  readonly logger: Logger
  /** By dotted path (`sync.worklistIntervalSeconds`). */
  readonly overrides?: Readonly<Record<string, SettingOverride>>
}

type Section = keyof Settings
type Listener = (view: SettingsView) => void
const SECTIONS = Object.keys(SettingsSchema.shape) as Section[]

export class SettingsStore {
  readonly #options: Readonly<SettingsStoreOptions>
  readonly #logger: Logger
  readonly #listeners = new Set<Listener>()
  /** What the person chose (valid fields only), by section; the defaults fill the rest. */
  #user: Partial<Record<Section, Record<string, unknown>>> = {}
  #writing: Promise<void> = Promise.resolve()

  private constructor(options: Readonly<SettingsStoreOptions>) {
    this.#options = options
    this.#logger = options.logger.child('settings')
  }

  static async open(options: Readonly<SettingsStoreOptions>): Promise<SettingsStore> {
    const store = new SettingsStore(options)
    await store.#load()
    return store
  }

  get(): SettingsView {
    const settings = this.#compose(this.#user)
    const sources: Record<string, SettingSource> = {}
    const envVariables: Record<string, string> = {}
    for (const section of SECTIONS) {
      for (const field of Object.keys(this.#user[section] ?? {})) sources[`${section}.${field}`] = 'user'
    }
    for (const [path, override] of Object.entries(this.#options.overrides ?? {})) {
      sources[path] = 'env'
      envVariables[path] = override.variable
    }
    return { settings, sources, envVariables }
  }

  get settings(): Settings {
    return this.get().settings
  }

  /**
   * Applies a partial change, validated as a whole against the schema, then durable on disk before it
   * answers; listeners hear the new view. A field fixed by the environment is refused by name.
   */
  async update(patch: SettingsPatch): Promise<SettingsView> {
    const locked = Object.entries(patch).flatMap(([section, fields]) =>
      Object.keys(fields ?? {})
        .map((field) => `${section}.${field}`)
        .filter((path) => this.#options.overrides?.[path] !== undefined),
    )
    if (locked.length > 0) {
      const variables = locked.map((path) => this.#options.overrides?.[path]?.variable ?? path)
      throw new ContractError(
        'refused',
        `${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} set by the environment (${variables.join(', ')}) and cannot be changed here`,
      )
    }
    const next: Partial<Record<Section, Record<string, unknown>>> = { ...this.#user }
    for (const [section, fields] of Object.entries(patch) as [Section, Record<string, unknown>][]) {
      if (!SECTIONS.includes(section))
        throw new ContractError('validation', `unknown settings section ${section}`)
      next[section] = { ...next[section], ...fields }
    }
    const checked = SettingsSchema.safeParse(this.#merge(next))
    if (!checked.success) {
      const where = checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      throw new ContractError('validation', `settings not saved: ${where.join('; ')}`)
    }
    const write = this.#writing.then(() => this.#write(next))
    this.#writing = write.catch(() => undefined)
    await write
    this.#user = next
    const view = this.get()
    for (const listener of this.#listeners) {
      try {
        listener(view)
      } catch (error) {
        this.#logger.error('a settings listener failed', { error })
      }
    }
    return view
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async #load(): Promise<void> {
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(this.#options.filePath, 'utf8'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#logger.warn('settings file unreadable; defaults used', { code: errorCode(error) })
      }
      return
    }
    if (typeof raw !== 'object' || raw === null) return
    const kept: Partial<Record<Section, Record<string, unknown>>> = {}
    let dropped = 0
    for (const section of SECTIONS) {
      const fields = (raw as Record<string, unknown>)[section]
      if (typeof fields !== 'object' || fields === null) continue
      for (const [field, value] of Object.entries(fields)) {
        const trial = { ...kept, [section]: { ...kept[section], [field]: value } }
        if (SettingsSchema.safeParse(this.#merge(trial)).success) kept[section] = trial[section]
        else dropped += 1
      }
    }
    if (dropped > 0) this.#logger.warn('settings that no longer fit were reset to defaults', { dropped })
    this.#user = kept
  }

  async #write(user: Partial<Record<Section, Record<string, unknown>>>): Promise<void> {
    await mkdir(dirname(this.#options.filePath), { recursive: true, mode: 0o700 })
    await writeFileDurably(this.#options.filePath, `${JSON.stringify(user, null, 2)}\n`)
  }

  /** The person's fields with the environment's on top, as input for the schema (which adds defaults). */
  #merge(user: Partial<Record<Section, Record<string, unknown>>>): Record<string, Record<string, unknown>> {
    const merged: Record<string, Record<string, unknown>> = {}
    for (const section of SECTIONS) merged[section] = { ...user[section] }
    for (const [path, override] of Object.entries(this.#options.overrides ?? {})) {
      const [section, field] = path.split('.') as [string, string]
      merged[section] = { ...merged[section], [field]: override.value }
    }
    return merged
  }

  #compose(user: Partial<Record<Section, Record<string, unknown>>>): Settings {
    const parsed = SettingsSchema.safeParse(this.#merge(user))
    // An environment value that does not fit is dropped (and told), never allowed to stop the app.
    if (parsed.success) return parsed.data
    this.#logger.warn('an environment setting does not fit; defaults used for it', {
      paths: parsed.error.issues.map((issue) => issue.path.join('.')),
    })
    return SettingsSchema.parse(this.#mergeUserOnly(user))
  }

  #mergeUserOnly(user: Partial<Record<Section, Record<string, unknown>>>): Record<string, unknown> {
    return Object.fromEntries(SECTIONS.map((section) => [section, { ...user[section] }]))
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'parse'
}
