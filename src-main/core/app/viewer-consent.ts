import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { ContractError } from '../../../src-preload/contract/server'
import { writeFileDurably } from '../../common/durable-file'
import type { Logger } from '../../common/logger'

/**
 * Which image-viewer origins may receive a study link. The link template is a setting the page can
 * change, and its URL carries the patient id: a page that could point it anywhere could send patient
 * ids to any https server. So an origin is used only once main knows the person (or the deployment)
 * allowed it — asked through a channel the page cannot answer (Electron: a native dialog) and
 * remembered in a file of main's own, which the settings capability never touches.
 */
export interface ViewerConsentOptions {
  /** `<userData>/viewer-origins.json`. */
  readonly filePath: string
  /** Origins a managed deployment allows up front (`QUBS_VIEWER_ORIGINS`, comma-separated). */
  readonly preApproved: readonly string[]
  /** Asks the person, outside the page, whether links may go to `origin`; true = allowed. */
  readonly ask: (origin: string) => Promise<boolean>
  readonly logger: Logger
}

const StoredSchema = z.object({ version: z.literal(1), origins: z.array(z.string().max(2000)).max(100) })

export class ViewerConsent {
  readonly #options: Readonly<ViewerConsentOptions>
  readonly #logger: Logger
  #stored: Set<string> | null = null

  constructor(options: Readonly<ViewerConsentOptions>) {
    this.#options = options
    this.#logger = options.logger.child('viewer-consent')
  }

  /** Resolves when links may go to `origin`; `refused` (nothing opened) when the person said no. */
  async require(origin: string): Promise<void> {
    if (this.#options.preApproved.includes(origin)) return
    const stored = await this.#load()
    if (stored.has(origin)) return
    if (!(await this.#options.ask(origin))) {
      this.#logger.info('image viewer origin not allowed')
      throw new ContractError(
        'refused',
        `links to the image viewer at ${origin} were not allowed on this computer`,
      )
    }
    stored.add(origin)
    await writeFileDurably(
      this.#options.filePath,
      `${JSON.stringify({ version: 1, origins: [...stored] }, null, 2)}\n`,
    )
    this.#logger.info('image viewer origin allowed')
  }

  async #load(): Promise<Set<string>> {
    if (this.#stored) return this.#stored
    let origins: string[] = []
    try {
      const parsed = StoredSchema.safeParse(JSON.parse(await readFile(this.#options.filePath, 'utf8')))
      if (parsed.success) origins = parsed.data.origins
      else this.#logger.warn('viewer origins file not valid; every origin is asked again')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#logger.warn('viewer origins file unreadable; every origin is asked again')
      }
    }
    this.#stored = new Set(origins)
    return this.#stored
  }
}

/** `QUBS_VIEWER_ORIGINS=https://pacs.example,https://pacs2.example` → exact origins (others dropped). */
export function viewerOriginsFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => URL.canParse(entry) && new URL(entry).origin === entry.replace(/\/$/, ''))
    .map((entry) => new URL(entry).origin)
}
