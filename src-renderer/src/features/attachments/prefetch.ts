import type { AppointmentKey, AttachmentView, ConnectivityState } from '../../../../src-preload/contract'
import { attachmentRowKey } from '../../db/database'
import { ipcFailureOf } from '../../ui/error-message'
import type { AttachmentSource } from './attachment-source'

/**
 * Fills the encrypted cache with the attachments of the most urgent appointments while QUBS is
 * reachable, so they open offline later. It runs in the background (the shell does not wait for it),
 * with a small bound on parallel downloads, skips files cached at their current version, and stops
 * when the cache is full of more urgent files. A newer call supersedes a running one; a call made
 * while offline waits for the connection to come back.
 */
export interface ConnectivityPort {
  current(): Promise<ConnectivityState>
  /** Called with every new state; returns an unsubscribe function. */
  subscribe(listener: (state: ConnectivityState) => void): () => void
}

export interface PrefetcherOptions {
  readonly source: AttachmentSource
  readonly listAttachments: (domain: string, appointmentId: string) => Promise<readonly AttachmentView[]>
  readonly connectivity: ConnectivityPort
  /** Parallel appointments; each downloads its files one after another. */
  readonly concurrency?: number
  /** Gives the page a turn between files so input and painting never wait for a prefetch. */
  readonly yieldToPage?: () => Promise<void>
  /** Appointments done of the running prefetch (for "Caching attachments 3/20"); null when it ends. */
  readonly onProgress?: (progress: PrefetchProgress | null) => void
}

export interface PrefetchProgress {
  readonly done: number
  readonly total: number
}

export type PrefetchOutcome = 'done' | 'waiting-for-connection' | 'cache-full' | 'superseded' | 'failed'

export interface PrefetchSummary {
  readonly outcome: PrefetchOutcome
  readonly downloaded: number
  readonly alreadyCached: number
  readonly failed: number
}

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

class RunStopped extends Error {
  constructor(readonly outcome: PrefetchOutcome) {
    super(outcome)
  }
}

const UNREACHABLE = new Set(['network', 'unavailable', 'auth'])
const isUnreachable = (error: unknown) => UNREACHABLE.has(ipcFailureOf(error)?.code ?? '')

export class AttachmentPrefetcher {
  readonly #options: Readonly<PrefetcherOptions>
  readonly #concurrency: number
  readonly #yield: () => Promise<void>
  #generation = 0
  #waiting: readonly AppointmentKey[] | null = null
  #unsubscribe: (() => void) | null = null

  constructor(options: Readonly<PrefetcherOptions>) {
    this.#options = options
    this.#concurrency = Math.max(1, options.concurrency ?? 2)
    this.#yield = options.yieldToPage ?? defaultYield
  }

  /** Prefetches for these appointments, most urgent first. Never rejects. */
  async prefetch(keys: readonly AppointmentKey[]): Promise<PrefetchSummary> {
    const generation = ++this.#generation
    this.#waiting = null
    const counts = { downloaded: 0, alreadyCached: 0, failed: 0 }
    const report = this.#options.onProgress ?? (() => undefined)
    const finish = (outcome: PrefetchOutcome): PrefetchSummary => {
      // A superseded run leaves the progress to the run that replaced it.
      if (outcome !== 'superseded') report(null)
      return { outcome, ...counts }
    }
    try {
      if ((await this.#options.connectivity.current()) !== 'online')
        return finish(this.#waitForConnection(keys))
      const keep = new Set<string>()
      const queue = [...keys]
      let done = 0
      report({ done, total: keys.length })
      const worker = async () => {
        for (let key = queue.shift(); key; key = queue.shift()) {
          await this.#prefetchAppointment(key, generation, keep, counts)
          report({ done: ++done, total: keys.length })
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.#concurrency, keys.length) }, worker))
      return finish('done')
    } catch (error) {
      // Stop this run's other workers too (they check the generation before every request).
      if (generation === this.#generation) this.#generation++
      if (!(error instanceof RunStopped)) return finish('failed')
      if (error.outcome === 'waiting-for-connection') this.#waitForConnection(keys)
      return finish(error.outcome)
    }
  }

  /** Stops listening for the connection (tests, and a page being torn down). */
  dispose(): void {
    this.#generation++
    this.#unsubscribe?.()
    this.#unsubscribe = null
  }

  async #prefetchAppointment(
    key: AppointmentKey,
    generation: number,
    keep: Set<string>,
    counts: { downloaded: number; alreadyCached: number; failed: number },
  ): Promise<void> {
    const { source } = this.#options
    const items = await this.#attempt(generation, () =>
      this.#options.listAttachments(key.domain, key.appointmentId),
    )
    if (!items) {
      counts.failed++
      return
    }
    await source.rememberList(key.domain, key.appointmentId, items)
    const versions = await source.cache.cachedVersions(key.domain, key.appointmentId)
    for (const item of items) {
      this.#checkCurrent(generation)
      const rowKey = attachmentRowKey(key.domain, key.appointmentId, item.guid)
      if (versions.has(item.guid) && versions.get(item.guid) === item.lastModifiedDateTime) {
        keep.add(rowKey)
        counts.alreadyCached++
        continue
      }
      await this.#yield()
      const stored = await this.#attempt(generation, () =>
        source.ensureCached(key.domain, key.appointmentId, item, { keep }),
      )
      if (stored === undefined) {
        counts.failed++
        continue
      }
      // The cache is full of files more urgent than this one: stop rather than churn.
      if (!stored) throw new RunStopped('cache-full')
      keep.add(rowKey)
      counts.downloaded++
    }
  }

  /** Runs one request; a lost connection stops the run, any other failure skips just this item. */
  async #attempt<T>(generation: number, request: () => Promise<T>): Promise<T | undefined> {
    this.#checkCurrent(generation)
    try {
      return await request()
    } catch (error) {
      if (isUnreachable(error)) throw new RunStopped('waiting-for-connection')
      return undefined
    } finally {
      this.#checkCurrent(generation)
    }
  }

  #checkCurrent(generation: number): void {
    if (generation !== this.#generation) throw new RunStopped('superseded')
  }

  #waitForConnection(keys: readonly AppointmentKey[]): PrefetchOutcome {
    this.#waiting = keys
    this.#unsubscribe ??= this.#options.connectivity.subscribe((state) => {
      const waiting = this.#waiting
      if (state === 'online' && waiting) void this.prefetch(waiting)
    })
    return 'waiting-for-connection'
  }
}
