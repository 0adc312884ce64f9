import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppInfo, Connectivity, Settings } from '../../../src-preload/contract'
import { createFileDurably } from '../../common/durable-file'
import type { Clock } from '../../common/clock'
import type { QubsClient } from '../api'
import type { ConnectionSettings } from '../api'
import type { ReporterServices } from '../reporter-services'

/**
 * "Copy support information" and "Export diagnostics": what a support person needs to find a
 * workstation's trouble on the server — versions, mode, connection, outbox counts by state and the
 * last errors with their request and correlation ids — and nothing about patients. It is built only
 * from PHI-free facts (counts, error codes, statuses, ids, URLs the person typed); no report text,
 * comment, patient field or server free text (a problem's `detail` or `title`) is ever read here.
 */
export const RECENT_ERRORS_KEPT = 20

export interface RecentError {
  readonly at: string
  readonly source: 'request' | 'outbox'
  readonly code: string
  readonly status?: number
  readonly requestId?: string
  readonly correlationId?: string
}

/** Failures of requests to QUBS as they happen (the client's outcomes), newest last, bounded. */
export class RecentErrors {
  readonly #clock: Clock
  readonly #kept: RecentError[] = []

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Listens to the client's outcomes; returns the unsubscribe. */
  watch(client: Pick<QubsClient, 'onOutcome'>): () => void {
    return client.onOutcome((outcome) => {
      if (outcome.ok || outcome.error.kind === 'aborted') return
      const error = outcome.error
      this.#kept.push({
        at: new Date(this.#clock.now()).toISOString(),
        source: 'request',
        code: error.kind,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.requestId ? { requestId: error.requestId } : {}),
        ...(error.correlationId ? { correlationId: error.correlationId } : {}),
      })
      while (this.#kept.length > RECENT_ERRORS_KEPT) this.#kept.shift()
    })
  }

  get all(): readonly RecentError[] {
    return this.#kept
  }
}

export interface SupportFacts {
  readonly app: AppInfo
  readonly platform: string
  readonly connection: Pick<ConnectionSettings, 'tokenUrl' | 'apiBaseUrl' | 'clientId' | 'domains'> | null
  readonly connectivity: Connectivity
  readonly services: ReporterServices | null
  readonly recent: RecentErrors
  readonly logFile: string | undefined
}

export interface SupportReport {
  readonly generatedAt: string
  readonly app: AppInfo
  readonly platform: string
  readonly connection: SupportFacts['connection']
  readonly connectivity: Connectivity
  readonly outbox: Readonly<Record<string, number>> | null
  readonly lastErrors: readonly RecentError[]
  readonly logFile: string | null
}

export function supportReport(facts: Readonly<SupportFacts>, clock: Clock): SupportReport {
  const outbox = facts.services?.outbox
  const fromOutbox: RecentError[] = (outbox?.list() ?? []).flatMap((entry) => {
    const error = entry.lastError
    if (!error) return []
    return [
      {
        at: new Date(error.at).toISOString(),
        source: 'outbox' as const,
        code: entry.heldReason ? `${error.code} (held: ${entry.heldReason})` : error.code,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.requestId ? { requestId: error.requestId } : {}),
        ...(error.correlationId ? { correlationId: error.correlationId } : {}),
      },
    ]
  })
  const lastErrors = [...fromOutbox, ...facts.recent.all]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, RECENT_ERRORS_KEPT)
  return {
    generatedAt: new Date(clock.now()).toISOString(),
    app: facts.app,
    platform: facts.platform,
    connection: facts.connection,
    connectivity: facts.connectivity,
    outbox: outbox && !outbox.closed ? { ...outbox.delivery.counts() } : null,
    lastErrors,
    logFile: facts.logFile ?? null,
  }
}

export function supportText(report: Readonly<SupportReport>): string {
  const { app, connection, connectivity } = report
  const lines = [
    `${app.name} ${app.version} (${app.mode === 'demo' ? 'DEMO, built-in sandbox' : 'connected to QUBS'})`,
    `Generated: ${report.generatedAt}`,
    `Platform: ${report.platform}; Node ${app.runtime.node}` +
      (app.runtime.electron ? `; Electron ${app.runtime.electron}` : '') +
      (app.runtime.chrome ? `; Chrome ${app.runtime.chrome}` : ''),
    connection
      ? `Connection: API ${connection.apiBaseUrl}; token ${connection.tokenUrl}; client id ${connection.clientId}; domains ${connection.domains.join(', ')}`
      : 'Connection: none configured',
    `Connectivity: ${connectivity.state}; last success ${connectivity.lastSuccessAt ?? 'never'}; last attempt ${connectivity.lastAttemptAt ?? 'never'}` +
      (connectivity.detail ? `; ${connectivity.detail}` : ''),
    report.outbox
      ? `Outbox: ${Object.entries(report.outbox)
          .map(([state, count]) => `${state} ${count}`)
          .join(', ')}`
      : 'Outbox: not open',
    `Log file: ${report.logFile ?? 'none (logging to the console)'}`,
    report.lastErrors.length === 0 ? 'Last errors: none' : 'Last errors (newest first):',
    ...report.lastErrors.map(
      (error) =>
        `  ${error.at} ${error.source} ${error.code}` +
        (error.status === undefined ? '' : ` status ${error.status}`) +
        (error.requestId ? ` requestId ${error.requestId}` : '') +
        (error.correlationId ? ` correlationId ${error.correlationId}` : ''),
    ),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * The same report and the settings as JSON in `<dataDir>/exports/`, created exclusively (never over
 * another file). Templates and macros are counted, not copied: their text is the person's own writing.
 */
export async function exportDiagnosticsFile(
  dataDir: string,
  report: Readonly<SupportReport>,
  settings: Settings | null,
): Promise<string> {
  const directory = join(dataDir, 'exports')
  await mkdir(directory, { recursive: true, mode: 0o700 })
  const stamp = report.generatedAt.replace(/[:.]/g, '-')
  const path = join(directory, `diagnostics-${stamp}.json`)
  const editor = settings?.editor
  const body = {
    ...report,
    settings: settings && {
      ...settings,
      editor: editor && {
        ...editor,
        templates: editor.templates === null ? null : { count: editor.templates.length },
        macros: editor.macros === null ? null : { count: editor.macros.length },
        customWords: { count: editor.customWords.length },
      },
    },
  }
  await createFileDurably(path, `${JSON.stringify(body, null, 2)}\n`)
  return path
}
