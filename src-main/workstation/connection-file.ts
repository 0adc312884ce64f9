import { mkdir, readFile, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { syncDirectory, writeFileDurably } from '../common/durable-file'
import { parseJsonText } from '../common/json-text'
import type { Logger } from '../common/logger'

/**
 * The person's connection choice in `<userData>/connection.json`: demo, or the QUBS connection they
 * typed (the client secret is never here: it lives in the vault as `qubs.clientSecret`). Absent until
 * the first choice, which is how first run is told apart. Fields fixed by the environment are not
 * stored: they come from the environment on every start.
 */
const SavedFieldsSchema = z
  .object({
    tokenUrl: z.string().min(1).max(2000),
    apiBaseUrl: z.string().min(1).max(2000),
    clientId: z.string().min(1).max(256),
    domains: z.array(z.string().min(1).max(128)).min(1).max(50),
  })
  .partial()

/**
 * The token URL, client id and API base URL the vault's secret was typed for: main uses the stored
 * secret only with these, so no form (or compromised page) can have it sent elsewhere — neither the
 * secret to another token endpoint nor the token it buys to another API. A binding saved before the
 * API base URL was part of it has none, and matches nothing: the secret is asked for again once.
 * Kept while the demo runs.
 */
const SecretBindingSchema = z.object({
  tokenUrl: z.string().min(1).max(2000),
  clientId: z.string().min(1).max(256),
  apiBaseUrl: z.string().min(1).max(2000).optional(),
})
export type SecretBinding = z.infer<typeof SecretBindingSchema>

export const SavedConnectionSchema = z.discriminatedUnion('choice', [
  z.object({ version: z.literal(1), choice: z.literal('demo'), secretFor: SecretBindingSchema.optional() }),
  z.object({
    version: z.literal(1),
    choice: z.literal('configured'),
    fields: SavedFieldsSchema,
    secretFor: SecretBindingSchema.optional(),
  }),
])
export type SavedConnection = z.infer<typeof SavedConnectionSchema>
export type SavedFields = z.infer<typeof SavedFieldsSchema>

export class ConnectionFile {
  readonly #path: string
  readonly #logger: Logger

  constructor(path: string, logger: Logger) {
    this.#path = path
    this.#logger = logger.child('connection-file')
  }

  /**
   * The saved choice, or null when none was made. A file that cannot be read as a choice is treated
   * as none (the person is asked again) rather than guessed at: a wrong guess could send reports to
   * the wrong place.
   */
  async read(): Promise<SavedConnection | null> {
    let text: string
    try {
      text = await readFile(this.#path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    const saved = SavedConnectionSchema.safeParse(parseJsonText(text))
    if (!saved.success) {
      this.#logger.warn('the saved connection could not be read; asking again', { file: this.#path })
      return null
    }
    return saved.data
  }

  async write(saved: SavedConnection): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 })
    await writeFileDurably(this.#path, `${JSON.stringify(SavedConnectionSchema.parse(saved), null, 2)}\n`)
  }

  /** Back to "no choice made" (first run): only to undo a choice that could not be opened. */
  async clear(): Promise<void> {
    await rm(this.#path, { force: true })
    await syncDirectory(dirname(this.#path)).catch(() => undefined)
  }
}
