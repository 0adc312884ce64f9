import type {
  ApiMethods,
  AppInfo,
  AppointmentView,
  AttachmentChunk,
  AttachmentDownload,
  AttachmentView,
  CacheKey,
  CommentView,
  ConnectionInput,
  ConnectionSetup,
  ConnectionTest,
  Connectivity,
  DiagnosticsExport,
  ImageViewerOpened,
  EventPayload,
  NewComment,
  NewReport,
  NewReportAttachment,
  LockReason,
  OutboxEntryView,
  OutboxExport,
  RendererLog,
  SettingsPatch,
  SettingsView,
  SiteView,
  SupportInfo,
  WipeRequest,
  WipeResult,
  WorklistChunk,
  WorklistRefresh,
} from '../../src-preload/contract'
import type { EventName } from '../../src-preload/contract/channels'
import { ContractError } from '../../src-preload/contract/server'
import { systemClock, systemRandom, type Clock, type Random } from '../common/clock'
import type { Logger } from '../common/logger'
import type { ConnectionSettings, QubsClient } from './api'
import { AttachmentTransfers } from './app/attachment-transfers'
import { CacheKeyStore } from './app/cache-key'
import { LocalWipe } from './app/local-wipe'
import { RendererLogWriter } from './app/renderer-log'
import { readThrough } from './app/read-through'
import { OutboxActions } from './app/outbox-actions'
import { DrainProgress } from './app/drain-progress'
import { DesktopNotices, type Notify } from './app/notifications'
import { exportDiagnosticsFile, RecentErrors, supportReport, supportText } from './app/support-info'
import { needsAppointment, openViewer, type OpenExternal } from './app/pacs-link'
import { SiteDirectory } from './app/site-directory'
import { toAppointmentView, toCommentView } from './app/views'
import { WorklistRefresher } from './app/worklist-refresh'
import type { ReporterServices } from './reporter-services'
import type { SettingsStore } from './settings/settings-store'
import type { ViewerConsent } from './app/viewer-consent'
import type { ConnectivityState } from './sync'
import type { Vault } from './vault/vault'

/**
 * Implements the contract's capabilities on top of the core services. Electron-free: the Electron IPC
 * binding, the browser harness and tests all drive this same object through the contract dispatcher,
 * and it pushes events through whatever `emit` the host supplies. Each concern lives in its own module
 * under core/app/ (worklist refresh, sites, attachments, outbox actions, cache key, connectivity, view
 * mappers, error mapping); this class only wires them and answers `unavailable` where no core is.
 */
export type EmitEvent = <K extends EventName>(event: K, payload: EventPayload<K>) => void

export interface AppCoreOptions {
  readonly name: string
  readonly version: string
  readonly mode: AppInfo['mode']
  readonly runtime: AppInfo['runtime']
  readonly logger: Logger
  /** Null only where no core is wired (tests of the shell alone). */
  readonly services: ReporterServices | null
  /**
   * The workstation's own vault (not demo mode's in-memory one), which keeps the renderer's cache key
   * across restarts. Without it `getCacheKey` answers `unavailable`.
   */
  readonly vault?: Pick<Vault, 'getSecret' | 'setSecret'>
  /** The person's settings; without it `getSettings` answers `unavailable`. */
  readonly settings?: SettingsStore
  /**
   * Connection setup lives above the core (saving re-opens the workstation and replaces this object),
   * so the host supplies it; without it the setup capabilities answer `unavailable`.
   */
  readonly setup?: ConnectionSetupPort
  /**
   * Opens a URL in the system browser, only to the origins given (Electron: the shell's
   * openExternalAllowed; the harness records it). Without it `openImageViewer` answers `unavailable`.
   */
  readonly openExternal?: OpenExternal
  /**
   * Which viewer origins the person allowed (asked outside the page); without it `openImageViewer`
   * answers `unavailable`, as the link template alone is the page's to change.
   */
  readonly viewerConsent?: Pick<ViewerConsent, 'require'>
  /** Shows a desktop notification; with `settings`, held submissions and reports due soon are told. */
  readonly notify?: Notify
  /** For support information: what the client talks to (never a secret). */
  readonly connection?: Pick<ConnectionSettings, 'tokenUrl' | 'apiBaseUrl' | 'clientId' | 'domains'>
  /** Where this process logs, for support information. */
  readonly logFile?: string
  readonly emit?: EmitEvent
  readonly clock?: Clock
  readonly random?: Random
}

/** The workstation host's half of connection setup (src-main/workstation/workstation-host.ts). */
export interface ConnectionSetupPort {
  getConnectionSetup(): Promise<ConnectionSetup>
  testConnection(input: ConnectionInput): Promise<ConnectionTest>
  saveConnection(input: ConnectionInput): Promise<ConnectionSetup>
  useDemo(): Promise<ConnectionSetup>
}

interface Connected {
  readonly client: QubsClient
  readonly worklist: WorklistRefresher
  readonly sites: SiteDirectory
  readonly attachments: AttachmentTransfers
}

export class AppCore implements ApiMethods {
  readonly #options: Readonly<AppCoreOptions>
  readonly #logger: Logger
  readonly #connected: Connected | null
  readonly #outbox: OutboxActions | null
  readonly #cacheKey: CacheKeyStore | null
  readonly #notices: DesktopNotices | null
  readonly #recentErrors: RecentErrors
  readonly #clock: Clock
  readonly #rendererLog: RendererLogWriter
  readonly #wipe: LocalWipe
  readonly #emit: EmitEvent
  readonly #unsubscribe: (() => void)[] = []

  constructor(options: Readonly<AppCoreOptions>) {
    this.#options = options
    this.#logger = options.logger.child('app-core')
    const clock = options.clock ?? systemClock
    const random = options.random ?? systemRandom
    // Pushing an event must never fail the work that caused it (a read, a refresh, an outbox commit):
    // a host that cannot deliver it (a window gone mid-refresh) costs the page that one update.
    const emit: EmitEvent = (event, payload) => {
      try {
        options.emit?.(event, payload)
      } catch (error) {
        this.#logger.error('event could not be pushed to the renderer', { channel: event, error })
      }
    }
    const services = options.services
    const client = services?.client ?? null
    this.#clock = clock
    this.#recentErrors = new RecentErrors(clock)
    if (client) this.#unsubscribe.push(this.#recentErrors.watch(client))
    const ports = { clock, random, logger: this.#logger }
    this.#connected = client
      ? {
          client,
          worklist: new WorklistRefresher({
            ...ports,
            client,
            onProgress: (progress) => emit('worklistProgress', progress),
          }),
          sites: new SiteDirectory({ ...ports, client }),
          attachments: new AttachmentTransfers({ ...ports, client }),
        }
      : null
    this.#outbox = services
      ? new OutboxActions({
          outbox: services.outbox,
          sync: services.sync,
          dataDir: services.dataDir,
          clock,
          logger: this.#logger,
        })
      : null
    this.#cacheKey = options.vault
      ? new CacheKeyStore({ vault: options.vault, random, logger: this.#logger })
      : null
    const settings = options.settings
    this.#notices =
      options.notify && settings
        ? new DesktopNotices({
            notify: options.notify,
            settings: () => settings.settings,
            clock,
            logger: this.#logger,
            onShown: (shown) => emit('notificationShown', shown),
          })
        : null
    this.#emit = emit
    this.#rendererLog = new RendererLogWriter({ logger: options.logger, clock })
    const cacheKey = this.#cacheKey
    this.#wipe = new LocalWipe({
      outbox: services?.outbox ?? null,
      replaceCacheKey: cacheKey ? () => cacheKey.replace() : null,
      caches: this.#connected
        ? [this.#connected.worklist, this.#connected.sites, this.#connected.attachments]
        : [],
      logger: this.#logger,
    })
    if (services?.sync) {
      // The engine's connectivity hears every call with QUBS (reads and deliveries, via the client).
      this.#unsubscribe.push(
        services.sync.on('connectivity', (state) => emit('connectivityChanged', toContract(state))),
      )
      const drain = new DrainProgress()
      this.#unsubscribe.push(
        services.sync.on('progress', (counts) => emit('syncProgress', drain.next(counts))),
      )
    }
    if (options.settings) {
      this.#unsubscribe.push(options.settings.onChange((view) => emit('settingsChanged', view)))
    }
    if (services) {
      this.#unsubscribe.push(
        services.outbox.onChange((change) => {
          emit('outboxChanged', { entryId: change.entry.id, state: change.entry.state })
          this.#notices?.entryChanged(change.entry)
        }),
      )
    }
  }

  getAppInfo = async (): Promise<AppInfo> => ({
    name: this.#options.name,
    version: this.#options.version,
    mode: this.#options.mode,
    runtime: this.#options.runtime,
  })

  getConnectivity = async (): Promise<Connectivity> => {
    const sync = this.#options.services?.sync
    return sync
      ? toContract(sync.connectivity)
      : { state: 'unknown', lastSuccessAt: null, lastAttemptAt: null }
  }

  getCacheKey = async (): Promise<CacheKey> => {
    if (!this.#cacheKey) throw new ContractError('unavailable', 'no vault is configured for the offline copy')
    return this.#cacheKey.get()
  }

  refreshWorklist = async (): Promise<WorklistRefresh> => {
    const { worklist } = this.#need()
    const refresh = await worklist.refresh()
    if (this.#notices) {
      const items = Array.from(
        { length: refresh.chunkCount },
        (_, index) => worklist.chunk(refresh.refreshId, index).items,
      ).flat()
      this.#notices.worklistRefreshed(items)
    }
    return refresh
  }

  getWorklistChunk = async (refreshId: string, index: number): Promise<WorklistChunk> =>
    this.#need().worklist.chunk(refreshId, index)

  listSites = async (): Promise<SiteView[]> => this.#need().sites.list()

  getAppointment = async (domain: string, appointmentId: string): Promise<AppointmentView> =>
    toAppointmentView(
      await this.#read(() => this.#need().client.getAppointment(domain, appointmentId), appointmentId),
    )

  listComments = async (domain: string, appointmentId: string): Promise<CommentView[]> =>
    (await this.#read(() => this.#need().client.listComments(domain, appointmentId), appointmentId)).map(
      toCommentView,
    )

  enqueueComment = async (
    domain: string,
    appointmentId: string,
    input: NewComment,
  ): Promise<OutboxEntryView> => this.#needOutbox().enqueueComment(domain, appointmentId, input)

  listAttachments = async (domain: string, appointmentId: string): Promise<AttachmentView[]> =>
    this.#need().attachments.list(domain, appointmentId)

  downloadAttachment = async (
    domain: string,
    appointmentId: string,
    guid: string,
  ): Promise<AttachmentDownload> => this.#need().attachments.download(domain, appointmentId, guid)

  getAttachmentChunk = async (downloadId: string, index: number): Promise<AttachmentChunk> =>
    this.#need().attachments.chunk(downloadId, index)

  listOutbox = async (): Promise<OutboxEntryView[]> => this.#needOutbox().list()

  retryOutboxEntry = async (entryId: string): Promise<OutboxEntryView> => this.#needOutbox().retry(entryId)

  exportOutboxEntry = async (entryId: string): Promise<OutboxExport> => this.#needOutbox().export(entryId)

  discardOutboxEntry = async (entryId: string): Promise<OutboxEntryView> =>
    this.#needOutbox().discard(entryId)

  getSettings = async (): Promise<SettingsView> => this.#needSettings().get()

  updateSettings = async (patch: SettingsPatch): Promise<SettingsView> => this.#needSettings().update(patch)

  syncNow = async (): Promise<null> => {
    this.#need()
    return this.#needOutbox().syncNow()
  }

  enqueueReport = async (domain: string, appointmentId: string, input: NewReport): Promise<OutboxEntryView> =>
    this.#needOutbox().enqueueReport(domain, appointmentId, input)

  enqueueReportAttachment = async (
    domain: string,
    appointmentId: string,
    input: NewReportAttachment,
  ): Promise<OutboxEntryView> => this.#needOutbox().enqueueReportAttachment(domain, appointmentId, input)

  getConnectionSetup = async (): Promise<ConnectionSetup> => this.#needSetup().getConnectionSetup()

  testConnection = async (input: ConnectionInput): Promise<ConnectionTest> =>
    this.#needSetup().testConnection(input)

  saveConnection = async (input: ConnectionInput): Promise<ConnectionSetup> =>
    this.#needSetup().saveConnection(input)

  useDemo = async (): Promise<ConnectionSetup> => this.#needSetup().useDemo()

  openImageViewer = async (domain: string, appointmentId: string): Promise<ImageViewerOpened> => {
    const open = this.#options.openExternal
    const consent = this.#options.viewerConsent
    if (!open || !consent) throw new ContractError('unavailable', 'no image viewer can be opened here')
    const openExternal: OpenExternal = async (url, allowedOrigins) => {
      for (const origin of allowedOrigins) await consent.require(origin)
      await open(url, allowedOrigins)
    }
    const template = this.#needSettings().settings.pacs.linkTemplate
    const appointment = needsAppointment(template)
      ? await this.#read(() => this.#need().client.getAppointment(domain, appointmentId), appointmentId)
      : null
    const { url } = await openViewer({
      template,
      values: {
        domain,
        appointmentId,
        studyInstanceUid: appointment?.studyInstanceUid,
        patientId: appointment?.patientId,
      },
      openExternal,
      logger: this.#logger,
    })
    return { url }
  }

  getSupportInfo = async (): Promise<SupportInfo> => ({ text: supportText(await this.#supportReport()) })

  exportDiagnostics = async (): Promise<DiagnosticsExport> => {
    const services = this.#options.services
    if (!services)
      throw new ContractError('unavailable', 'diagnostics need the data directory, which is not open')
    const path = await exportDiagnosticsFile(
      services.dataDir,
      await this.#supportReport(),
      this.#options.settings?.settings ?? null,
    )
    this.#logger.info('diagnostics exported')
    return { path }
  }

  logFromRenderer = async (record: RendererLog): Promise<null> => this.#rendererLog.write(record)

  wipeLocalData = async (request: WipeRequest): Promise<WipeResult> => this.#wipe.wipe(request)

  /**
   * Asks every window to lock (the shell's OS-lock and suspend handlers call it; so may an idle timer
   * in main). Not a capability: the page locks itself on its own, this is main telling it to.
   */
  requestLock(reason: LockReason): void {
    this.#logger.info('lock requested', { reason })
    this.#emit('lockRequested', { reason })
  }

  /**
   * Main's share of the retention purge: attachment bytes past their time to live leave memory now
   * (the outbox's own purge runs in the sync engine's housekeeping).
   */
  purgeExpiredCaches(): void {
    this.#connected?.attachments.expire()
  }

  /** Stops forwarding events; the host closes the services themselves. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe()
  }

  #need(): Connected {
    if (!this.#connected) throw new ContractError('unavailable', 'no QUBS connection is configured')
    return this.#connected
  }

  #needSettings(): SettingsStore {
    if (!this.#options.settings) throw new ContractError('unavailable', 'settings are not available here')
    return this.#options.settings
  }

  async #supportReport() {
    return supportReport(
      {
        app: await this.getAppInfo(),
        platform: `${process.platform} ${process.arch}`,
        connection: this.#options.connection ?? null,
        connectivity: await this.getConnectivity(),
        services: this.#options.services,
        recent: this.#recentErrors,
        logFile: this.#options.logFile,
      },
      this.#clock,
    )
  }

  #needSetup(): ConnectionSetupPort {
    if (!this.#options.setup) throw new ContractError('unavailable', 'the connection cannot be set up here')
    return this.#options.setup
  }

  #needOutbox(): OutboxActions {
    if (!this.#outbox) throw new ContractError('unavailable', 'the outbox is not open')
    return this.#outbox
  }

  #read<T>(operation: () => Promise<T>, appointmentId: string): Promise<T> {
    return readThrough(operation, { appointmentId })
  }
}

function toContract(state: ConnectivityState): Connectivity {
  return {
    state: state.state,
    lastSuccessAt: isoOrNull(state.lastSuccessAt),
    lastAttemptAt: isoOrNull(state.lastAttemptAt),
    ...(state.detail === undefined ? {} : { detail: state.detail }),
  }
}

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null || epochMs < 0 ? null : new Date(epochMs).toISOString()
}
