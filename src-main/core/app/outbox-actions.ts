import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  NewCommentSchema,
  NewReportAttachmentSchema,
  NewReportSchema,
  type NewComment,
  type NewReport,
  type NewReportAttachment,
  type OutboxEntryView,
  type OutboxExport,
} from '../../../src-preload/contract'
import { ContractError } from '../../../src-preload/contract/server'
import type { z } from 'zod'
import type { Clock } from '../../common/clock'
import type { Logger } from '../../common/logger'
import type { Outbox } from '../outbox'
import type { SyncEngine } from '../sync'
import { rethrowAsContract } from './contract-errors'
import { toOutboxEntryView } from './views'

/**
 * The outbox capabilities: thin glue over the outbox's own methods (which own the rules of retry,
 * export and discard), mapping its PHI-free summaries to the contract's view. Exports go into
 * `<dataDir>/exports/` (a 0700 directory; the outbox writes each file 0600) under a name made of the
 * entry id and the time, never of patient details.
 */
export const EXPORTS_DIR = 'exports'

export interface OutboxActionsOptions {
  readonly outbox: Outbox
  readonly sync: Pick<SyncEngine, 'wake'> | null
  readonly dataDir: string
  readonly clock: Clock
  readonly logger: Logger
}

export class OutboxActions {
  readonly #options: Readonly<OutboxActionsOptions>

  constructor(options: Readonly<OutboxActionsOptions>) {
    this.#options = options
  }

  /** Validated again here (main trusts no renderer), then durable in the outbox before it answers. */
  async enqueueComment(domain: string, appointmentId: string, input: NewComment): Promise<OutboxEntryView> {
    const { commentText, commentType, isAlert } = parseOrRefuse(NewCommentSchema, input, 'comment')
    return this.#act(() =>
      this.#options.outbox.enqueueComment(domain, appointmentId, {
        commentText,
        isAlert,
        ...(commentType ? { commentType } : {}),
      }),
    )
  }

  /**
   * The report stamped with the clinician profile the page sent (empty fields left out: QUBS takes
   * each as optional) and the time Submit was pressed. The submission key makes a second press of
   * Submit answer the entry already queued.
   */
  async enqueueReport(domain: string, appointmentId: string, input: NewReport): Promise<OutboxEntryView> {
    const { reportText, reportStatus, clinician, reportedAtUtc, submissionKey } = parseOrRefuse(
      NewReportSchema,
      input,
      'report',
    )
    const stamped = {
      reportText,
      reportStatus,
      reportedAtUtc,
      ...given('interpretingClinicianName', clinician.name),
      ...given('interpretingClinicianProviderNumber', clinician.providerNumber),
      ...given('interpretingClinicianEmail', clinician.email),
    }
    return this.#act(() =>
      this.#options.outbox.enqueueReport(domain, appointmentId, stamped, keyed(submissionKey)),
    )
  }

  /** One report file; the outbox checks its bytes against its type and the per-report count. */
  async enqueueReportAttachment(
    domain: string,
    appointmentId: string,
    input: NewReportAttachment,
  ): Promise<OutboxEntryView> {
    const { fileName, contentType, bytes, submissionKey } = parseOrRefuse(
      NewReportAttachmentSchema,
      input,
      'attachment',
    )
    return this.#act(() =>
      this.#options.outbox.enqueueReportAttachment(
        domain,
        appointmentId,
        { fileName, contentType, bytes },
        keyed(submissionKey),
      ),
    )
  }

  list(): OutboxEntryView[] {
    try {
      // Newest first, as the contract promises; the outbox lists in enqueue order. Discarded entries
      // too: nothing is hidden, so an entry exported then discarded still shows where its text went.
      return this.#options.outbox.list({ includeDiscarded: true }).map(toOutboxEntryView).reverse()
    } catch (error) {
      return rethrowAsContract(error)
    }
  }

  retry(entryId: string): Promise<OutboxEntryView> {
    return this.#act(() => this.#options.outbox.retryHeld(entryId))
  }

  async export(entryId: string): Promise<OutboxExport> {
    const directory = join(this.#options.dataDir, EXPORTS_DIR)
    await mkdir(directory, { recursive: true, mode: 0o700 })
    const stamp = new Date(this.#options.clock.now()).toISOString().replace(/[:.]/g, '-')
    const path = join(directory, `outbox-${safeName(entryId)}-${stamp}.json`)
    const entry = await this.#act(() => this.#options.outbox.exportEntry(entryId, path))
    this.#options.logger.info('outbox entry exported', { entryId })
    return { entry, path }
  }

  discard(entryId: string): Promise<OutboxEntryView> {
    return this.#act(() => this.#options.outbox.discardHeld(entryId))
  }

  /** The person pressed "Sync now": the engine tries at once (and cuts short any network back-off). */
  syncNow(): null {
    this.#options.sync?.wake('network')
    return null
  }

  async #act(operation: () => Promise<Parameters<typeof toOutboxEntryView>[0]>): Promise<OutboxEntryView> {
    try {
      return toOutboxEntryView(await operation())
    } catch (error) {
      return rethrowAsContract(error)
    }
  }
}

/**
 * Validated again in main (it trusts no renderer). The message names the fields that failed and the
 * rules they broke (our own words, from the contract's schemas), never the values.
 */
function parseOrRefuse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const why = parsed.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`)
  throw new ContractError('validation', `the ${what} is not valid (${why.join('; ')})`)
}

function given<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value.trim().length > 0 ? ({ [key]: value } as Record<K, string>) : {}
}

function keyed(submissionKey: string | undefined): { idempotencyKey?: string } {
  return submissionKey === undefined ? {} : { idempotencyKey: submissionKey }
}

function safeName(entryId: string): string {
  return entryId.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 80)
}
