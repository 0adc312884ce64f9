import { useEffect, useMemo, useRef, useState } from 'react'
import { createRendererLogger, errorFields } from '../../bridge/log'
import type { CacheSession } from '../../db/cache-session'
import { ReporterDatabase } from '../../db/database'
import { purgeExpiredCache } from '../../db/retention'
import { HelpOverlay } from '../../ui/HelpOverlay'
import { isTyping } from '../../ui/shortcuts'
import { CacheSessionContext } from '../../ui/session-context'
import { useAppInfoStore } from '../../stores/app-info-store'
import { useSettingsStore } from '../../stores/settings-store'
import { AppointmentScreen, purgeAppointmentCacheNotIn } from '../appointment'
import {
  prefetchAttachments,
  provideAttachmentServices,
  purgeAttachmentsNotIn,
  shareAttachmentCache,
} from '../attachments'
import { LockGate, useLockStore, useLockTriggers } from '../lock'
import { OutboxPanel, isWaiting, useOutboxStore } from '../outbox'
import { WipeDialog } from '../privacy'
import {
  FILTER_INPUT_ID,
  WorklistScreen,
  mostUrgentKeys,
  nextCaseInView,
  useWorklistStore,
} from '../worklist'
import { useConnectivityStore } from './connectivity-store'
import { refreshCommentBadges, watchCommentBadges } from './badge-refresh'
import { StatusIndicator } from './StatusIndicator'
import { useShellStore } from './shell-store'
import { useShortcuts, type ShortcutActions } from './use-shortcuts'

export const DEFAULT_REFRESH_INTERVAL_MS = 5 * 60_000
const log = createRendererLogger('shell')

/** The offline copy's retention (privacy.retentionDays): at start and after every refresh. */
function purgeExpired(session: CacheSession): void {
  void purgeExpiredCache(session, {
    now: Date.now(),
    retentionDays: useSettingsStore.getState().settings.privacy.retentionDays,
    outbox: useOutboxStore.getState().entries,
  }).catch((error: unknown) => log.warn('cache retention purge failed', errorFields(error)))
}
/**
 * After a refresh: cache the most urgent appointments' comments (for the worklist's badges) and
 * attachments, and, when every domain answered, drop the cached attachments, views and comments of
 * appointments the worklist no longer keeps (bounded PHI on disk).
 */
function afterRefresh(session: CacheSession, worklist: ReturnType<typeof useWorklistStore.getState>) {
  const urgent = mostUrgentKeys(worklist.entries, PREFETCH_CANDIDATES)
  // Badges are a convenience: a failed fetch or reload leaves them as they were.
  void refreshCommentBadges(session, urgent).catch((error: unknown) =>
    log.warn('comment badges could not be refreshed', errorFields(error)),
  )
  purgeExpired(session)
  void prefetchAttachments(urgent)
  if (worklist.lastRefresh && worklist.refreshError === null) {
    const kept = worklist.entries.map((e) => ({ domain: e.view.domain, appointmentId: e.view.appointmentId }))
    void purgeAttachmentsNotIn(kept)
    void purgeAppointmentCacheNotIn(session, kept)
  }
}

/** More than any sensible prefetch count; the attachment feature takes the first N (its setting). */
const PREFETCH_CANDIDATES = 500

export interface AppShellProps {
  /** Injected by tests; the app opens its own. */
  readonly db?: ReporterDatabase
  readonly refreshIntervalMs?: number
  /** After "wipe local data": the app reloads onto the emptied cache (tests observe it instead). */
  readonly onWiped?: () => void
}

const reloadApp = () => window.location.reload()

/**
 * The frame around every screen: product, mode (demo or QUBS, shown apart from connectivity), the
 * connection status, theme and zoom; below it the worklist, an appointment or the outbox. At start it
 * opens the encrypted cache, shows the cached worklist at once and refreshes in the background.
 */
export function AppShell({
  db: injectedDb,
  refreshIntervalMs = DEFAULT_REFRESH_INTERVAL_MS,
  onWiped = reloadApp,
}: AppShellProps) {
  const { info, error, load } = useAppInfoStore()
  const shell = useShellStore()
  const connectivity = useConnectivityStore((s) => s.connectivity)
  const outbox = useOutboxStore((s) => s.entries)
  const refreshing = useWorklistStore((s) => s.refreshing)
  const lastRefreshAt = useWorklistStore((s) => s.lastSuccessfulRefreshAt)
  const [db] = useState(() => injectedDb ?? new ReporterDatabase())
  const session = shell.session
  const [wipeOpen, setWipeOpen] = useState(false)
  // Read by the shortcut handler (made once): while the dialog is open, the app's keys act on nothing.
  const wipeOpenNow = useRef(false)
  useEffect(() => {
    wipeOpenNow.current = wipeOpen
  }, [wipeOpen])
  useLockTriggers(useSettingsStore((s) => s.settings.privacy.idleLockMinutes))

  useEffect(() => {
    void load()
    void useSettingsStore.getState().load()
  }, [load])

  useEffect(() => {
    let stopped = false
    const stops: (() => void)[] = []
    void (async () => {
      const opened = await useShellStore.getState().start(db)
      if (!opened || stopped) return
      // The shell shares its database and cipher with the attachment cache.
      shareAttachmentCache(opened)
      const refresh = () =>
        void useWorklistStore.getState().refresh(opened, useOutboxStore.getState().entries)
      // Whatever started it (timer, QUBS back, the R key, the button), every refresh that lands is
      // followed by the prefetch and purge.
      stops.push(
        useWorklistStore.subscribe((now, before) => {
          if (now.lastRefresh !== before.lastRefresh) afterRefresh(opened, now)
        }),
      )
      stops.push(useOutboxStore.getState().watch())
      stops.push(watchCommentBadges(opened))
      // QUBS coming back refreshes only once the cached list is shown: the first refresh follows anyway.
      let cachedShown = false
      stops.push(useConnectivityStore.getState().watch(() => cachedShown && refresh()))
      void useConnectivityStore.getState().load()
      await useWorklistStore.getState().loadCached(opened)
      await useOutboxStore.getState().load()
      if (stopped) return
      purgeExpired(opened)
      cachedShown = true
      refresh()
      const timer = setInterval(refresh, refreshIntervalMs)
      stops.push(() => clearInterval(timer))
    })()
    return () => {
      stopped = true
      stops.forEach((stop) => stop())
      provideAttachmentServices(null)
    }
  }, [db, refreshIntervalMs])

  const { navigate, route } = shell
  const actions = useMemo<ShortcutActions>(() => {
    const s = () => useShellStore.getState()
    return {
      // Locked, or a dialog open: the app's keys act on nothing behind it.
      modalOpen: () => s().helpOpen || wipeOpenNow.current || useLockStore.getState().locked,
      focusFilter: () => {
        if (s().route.screen !== 'worklist') s().navigate({ screen: 'worklist' })
        setTimeout(() => document.getElementById(FILTER_INPUT_ID)?.focus())
      },
      escape: (target) => {
        if (useLockStore.getState().locked || wipeOpenNow.current) return
        if (s().helpOpen) return s().setHelpOpen(false)
        if (target instanceof HTMLElement && target.id === FILTER_INPUT_ID) {
          return document.querySelector<HTMLElement>('[role="grid"]')?.focus()
        }
        if (isTyping(target)) return (target as HTMLElement).blur()
        if (s().route.screen !== 'worklist') s().navigate({ screen: 'worklist' })
      },
      help: () => s().setHelpOpen(true),
      nextCase: () => {
        const next = nextCaseInView(useWorklistStore.getState(), useOutboxStore.getState().entries)
        if (next)
          s().navigate({
            screen: 'appointment',
            domain: next.view.domain,
            appointmentId: next.view.appointmentId,
          })
      },
      refresh: () => {
        const session = s().session
        if (session) void useWorklistStore.getState().refresh(session, useOutboxStore.getState().entries)
      },
      outbox: () => s().navigate({ screen: 'outbox' }),
      worklist: () => s().navigate({ screen: 'worklist' }),
      toggleTheme: () => s().setTheme(s().theme === 'dark' ? 'light' : 'dark'),
      zoom: (step) => s().zoomBy(step),
    }
  }, [])
  useShortcuts(actions)

  useEffect(() => {
    document.documentElement.dataset['theme'] = shell.theme
    document.documentElement.style.setProperty('--zoom', String(shell.zoom))
  }, [shell.theme, shell.zoom])

  // Back on the worklist: opening an appointment cached its comments and may have saved a draft.
  useEffect(() => {
    if (session && route.screen === 'worklist') void useWorklistStore.getState().reloadBadges(session)
  }, [session, route.screen])

  const openAppointment = (domain: string, appointmentId: string) =>
    navigate({ screen: 'appointment', domain, appointmentId })
  const zones = useWorklistStore((s) => s.zones)
  const waiting = outbox.filter(isWaiting).length

  return (
    <LockGate>
      <div className="shell">
        <header className="shell-header">
          <h1>QUBS Reporter</h1>
          {info && (
            // The mode only (which QUBS this works against); whether it is reachable is the status's job.
            <span
              className={`mode mode-${info.mode}`}
              data-testid="app-mode"
              title={
                info.mode === 'demo'
                  ? 'Demo sandbox: fake patients, nothing reaches a real QUBS'
                  : 'Works against the configured QUBS'
              }
            >
              {info.mode === 'demo' ? 'Demo sandbox' : 'QUBS'}
            </span>
          )}
          <nav aria-label="Screens" className="tabs">
            <button
              type="button"
              aria-current={route.screen === 'worklist' ? 'page' : undefined}
              onClick={() => navigate({ screen: 'worklist' })}
            >
              Worklist
            </button>
            <button
              type="button"
              aria-current={route.screen === 'outbox' ? 'page' : undefined}
              onClick={() => navigate({ screen: 'outbox' })}
            >
              Outbox
            </button>
          </nav>
          <StatusIndicator
            connectivity={connectivity}
            lastRefreshAt={lastRefreshAt}
            syncing={refreshing || outbox.some((e) => e.state === 'sending')}
            waiting={waiting}
            onOpenOutbox={() => navigate({ screen: 'outbox' })}
          />
          <div className="view-controls">
            <button type="button" onClick={() => shell.zoomBy(-1)} title="Zoom out (Ctrl −)">
              Zoom −
            </button>
            <span className="zoom-level">{Math.round(shell.zoom * 100)}%</span>
            <button type="button" onClick={() => shell.zoomBy(1)} title="Zoom in (Ctrl +)">
              Zoom +
            </button>
            <button type="button" onClick={() => shell.setTheme(shell.theme === 'dark' ? 'light' : 'dark')}>
              {shell.theme === 'dark' ? 'Light theme' : 'Dark theme'}
            </button>
            <button type="button" onClick={() => shell.setHelpOpen(true)} aria-keyshortcuts="?">
              Help (?)
            </button>
            <button type="button" onClick={() => setWipeOpen(true)}>
              Wipe local data…
            </button>
            <button
              type="button"
              onClick={() => useLockStore.getState().lock('user')}
              aria-keyshortcuts="Control+L"
              title="Lock the screen (Ctrl L)"
            >
              Lock
            </button>
            {info && <span className="version">v{info.version}</span>}
          </div>
        </header>
        <main className="shell-main">
          {(error ?? shell.startError) && (
            <p role="alert" className="error">
              {error ?? shell.startError}
            </p>
          )}
          {!session && !error && !shell.startError && <p aria-busy="true">Starting…</p>}
          {session && (
            <CacheSessionContext.Provider value={session}>
              {route.screen === 'worklist' && <WorklistScreen onOpen={openAppointment} />}
              {route.screen === 'outbox' && <OutboxPanel onOpen={openAppointment} />}
              {route.screen === 'appointment' && (
                <AppointmentScreen
                  domain={route.domain}
                  appointmentId={route.appointmentId}
                  timeZoneOf={(domain, site) => (site ? (zones.get(`${domain}/${site}`) ?? null) : null)}
                  onBack={() => navigate({ screen: 'worklist' })}
                />
              )}
            </CacheSessionContext.Provider>
          )}
        </main>
        {shell.helpOpen && <HelpOverlay onClose={() => shell.setHelpOpen(false)} />}
        {wipeOpen && <WipeDialog onClose={() => setWipeOpen(false)} onWiped={() => onWiped()} />}
      </div>
    </LockGate>
  )
}
