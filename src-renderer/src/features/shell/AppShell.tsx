import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { getBridge } from '../../bridge'
import { createRendererLogger, errorFields } from '../../bridge/log'
import type { CacheSession } from '../../db/cache-session'
import { ReporterDatabase } from '../../db/database'
import { purgeExpiredCache } from '../../db/retention'
import { readWorklistIndex } from '../../db/worklist-cache'
import { HelpOverlay } from '../../ui/HelpOverlay'
import { isTyping } from '../../ui/shortcuts'
import { CacheSessionContext } from '../../ui/session-context'
import { useAppInfoStore } from '../../stores/app-info-store'
import { useSettingsStore } from '../../stores/settings-store'
// Only the non-screen parts of the other features, by module: their screens load on first use
// (lazy-screens.tsx), and importing a feature's index here would pull its screens into the first chunk.
import { purgeAppointmentCacheNotIn } from '../appointment/cache-purge'
import { watchDraftDeliveries } from '../editor/draft-delivery-watch'
import { provideAttachmentServices, shareAttachmentCache } from '../attachments/attachment-services'
import { prefetchAttachments, purgeAttachmentsNotIn } from '../attachments/background'
import { LockGate, useLockStore, useLockTriggers } from '../lock'
import { OutboxPanel, isWaiting, useOutboxStore } from '../outbox'
import { migrateLegacyPrefs } from '../settings/legacy-prefs'
import { needsFirstRun, useSetupStore } from '../setup/setup-store'
import {
  FILTER_INPUT_ID,
  WorklistScreen,
  mostUrgentKeys,
  nextCaseInView,
  useWorklistStore,
} from '../worklist'
import { useConnectivityStore } from './connectivity-store'
import { refreshCommentBadges, watchCommentBadges } from './badge-refresh'
import {
  AppointmentScreen,
  LazyScreen,
  SettingsScreen,
  SupportPanel,
  warmUpLaterScreens,
  WelcomeScreen,
  WipeDialog,
} from './lazy-screens'
import { DemoBanner, ModeChip } from './ModeBadge'
import { ProgressStatus } from './ProgressStatus'
import { useProgressStore } from './progress-store'
import { StatusIndicator } from './StatusIndicator'
import { useShellStore } from './shell-store'
import { useShortcuts, type ShortcutActions } from './use-shortcuts'

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
  /** Tests' override of `settings.sync.worklistIntervalSeconds`. */
  readonly refreshIntervalMs?: number
  /** After "wipe local data": the app reloads onto the emptied cache (tests observe it instead). */
  readonly onWiped?: () => void
  /** After a connection was saved or the demo chosen: start the page again on it (tests observe it). */
  readonly reload?: () => void
}

const reloadApp = () => window.location.reload()

/**
 * The frame around every screen: product, mode (demo or QUBS, shown apart from connectivity), the
 * connection status, theme and zoom; below it the worklist, an appointment or the outbox. At start it
 * opens the encrypted cache, shows the cached worklist at once and refreshes in the background.
 */
export function AppShell({
  db: injectedDb,
  refreshIntervalMs,
  onWiped = reloadApp,
  reload = reloadApp,
}: AppShellProps) {
  const { info, error, load } = useAppInfoStore()
  const shell = useShellStore()
  const appearance = useSettingsStore((s) => s.settings.appearance)
  const intervalSeconds = useSettingsStore((s) => s.settings.sync.worklistIntervalSeconds)
  const intervalMs = refreshIntervalMs ?? intervalSeconds * 1000
  const setup = useSetupStore()
  // The worklist starts once the person has chosen between QUBS and the demo (or main has no setup).
  const firstRun = needsFirstRun(setup.setup)
  const ready = setup.loaded && !firstRun
  const [listShown, setListShown] = useState(false)
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
    return useSetupStore.getState().watch()
  }, [load])

  useEffect(() => {
    let stopped = false
    const stops: (() => void)[] = []
    // Without a bridge the shell says so (app info); the defaults apply meanwhile.
    const settingsRead = useSettingsStore
      .getState()
      .load()
      .catch(() => undefined)
    // The cached list's clear index needs no key: read from disk while main answers for the key, the
    // settings and the setup, not after them (a cold start's longest wait). Its failure, if any, is
    // the cached load's; on a first run or a failed start it is simply not used.
    const worklistIndex = readWorklistIndex(db)
    worklistIndex.catch(() => undefined)
    void (async () => {
      // The cache opens while main says whether this is the first run, so neither waits on the other.
      const [opened] = await Promise.all([
        useShellStore.getState().start(db),
        useSetupStore.getState().load(),
      ])
      // On the first run nothing is fetched until the person chose; the choice reloads the page.
      if (!opened || stopped || needsFirstRun(useSetupStore.getState().setup)) return
      // Values older versions kept in the page move to main's settings, once.
      void settingsRead.then(() => migrateLegacyPrefs(opened.db)).catch(() => undefined)
      // The shell shares its database and cipher with the attachment cache.
      shareAttachmentCache(opened, useProgressStore.getState().setPrefetch)
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
      // A report delivered after the person moved on still marks its draft delivered.
      stops.push(watchDraftDeliveries(opened, () => void useWorklistStore.getState().reloadBadges(opened)))
      // QUBS coming back refreshes only once the cached list is shown: the first refresh follows anyway.
      let cachedShown = false
      stops.push(useConnectivityStore.getState().watch(() => cachedShown && refresh()))
      // Main asks for a refresh after sleep, a network change or a new connection.
      stops.push(getBridge().on('worklistStale', () => cachedShown && refresh()))
      stops.push(getBridge().on('syncProgress', useProgressStore.getState().setDrain))
      void useConnectivityStore.getState().load()
      await useWorklistStore.getState().loadCached(opened, worklistIndex)
      await useOutboxStore.getState().load()
      if (stopped) return
      purgeExpired(opened)
      cachedShown = true
      refresh()
      setListShown(true)
      stops.push(warmUpLaterScreens())
    })()
    return () => {
      stopped = true
      stops.forEach((stop) => stop())
      provideAttachmentServices(null)
    }
  }, [db])

  // The background refresh follows settings.sync at once: a new interval restarts the timer.
  useEffect(() => {
    if (!listShown) return
    const timer = setInterval(() => {
      const session = useShellStore.getState().session
      if (session) void useWorklistStore.getState().refresh(session, useOutboxStore.getState().entries)
    }, intervalMs)
    return () => clearInterval(timer)
  }, [listShown, intervalMs])

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
      settings: () => s().navigate({ screen: 'settings' }),
      toggleTheme: () =>
        s().setTheme(useSettingsStore.getState().settings.appearance.theme === 'dark' ? 'light' : 'dark'),
      zoom: (step) => s().zoomBy(step),
    }
  }, [])
  useShortcuts(actions)

  useEffect(() => {
    document.documentElement.dataset['theme'] = appearance.theme
    document.documentElement.style.setProperty('--zoom', String(appearance.zoom))
  }, [appearance.theme, appearance.zoom])

  // Back on the worklist: opening an appointment cached its comments and may have saved a draft.
  useEffect(() => {
    if (session && route.screen === 'worklist') void useWorklistStore.getState().reloadBadges(session)
  }, [session, route.screen])

  const openAppointment = (domain: string, appointmentId: string) =>
    navigate({ screen: 'appointment', domain, appointmentId })
  const zones = useWorklistStore((s) => s.zones)
  const waiting = outbox.filter(isWaiting).length

  const demo = info?.mode === 'demo' || setup.setup?.running === 'demo'
  const tab = (
    screen: 'worklist' | 'outbox' | 'settings' | 'support',
    label: ReactNode,
    keys?: string,
    name?: string,
  ) => (
    <button
      type="button"
      aria-current={route.screen === screen ? 'page' : undefined}
      aria-keyshortcuts={keys}
      aria-label={name}
      onClick={() => navigate({ screen })}
    >
      {label}
    </button>
  )
  // One control for the outbox: its tab shows the count and is read out as "Outbox: 2 waiting".
  const outboxLabel = (
    <>
      Outbox <span className={`tab-count${waiting > 0 ? ' is-waiting' : ''}`}>{waiting}</span>
    </>
  )
  const ownScreen = route.screen === 'settings' || route.screen === 'support'
  // A setup that could not be read is told in the settings' connection section, not at start.
  const startProblem = error ?? shell.startError

  return (
    <LockGate>
      <div className={`shell${demo ? ' is-demo' : ''}`}>
        <header className="shell-header">
          <h1>QUBS Reporter</h1>
          {/* Nothing is chosen yet on the first run: no mode to show. */}
          {info && !firstRun && <ModeChip mode={info.mode} />}
          {ready && (
            <nav aria-label="Screens" className="tabs">
              {tab('worklist', 'Worklist', 'W')}
              {tab('outbox', outboxLabel, 'O', `Outbox: ${waiting} waiting`)}
              {tab('settings', 'Settings', 'S')}
              {tab('support', 'Support')}
            </nav>
          )}
          {ready && (
            <StatusIndicator
              connectivity={connectivity}
              lastRefreshAt={lastRefreshAt}
              syncing={refreshing || outbox.some((e) => e.state === 'sending')}
            />
          )}
          <ProgressStatus />
          <div className="view-controls">
            <button
              type="button"
              onClick={() => shell.zoomBy(-1)}
              title="Zoom out (Ctrl −)"
              aria-label="Zoom the app out"
            >
              −
            </button>
            <span className="zoom-level">{Math.round(appearance.zoom * 100)}%</span>
            <button
              type="button"
              onClick={() => shell.zoomBy(1)}
              title="Zoom in (Ctrl +)"
              aria-label="Zoom the app in"
            >
              +
            </button>
            {/* Short labels keep the header one row at 1366 px; the names say the whole thing. */}
            <button
              type="button"
              onClick={() => shell.setTheme(appearance.theme === 'dark' ? 'light' : 'dark')}
              aria-label={appearance.theme === 'dark' ? 'Light theme' : 'Dark theme'}
              aria-keyshortcuts="T"
              title="Switch the theme (T)"
            >
              {appearance.theme === 'dark' ? 'Light' : 'Dark'}
            </button>
            <button
              type="button"
              onClick={() => shell.setHelpOpen(true)}
              aria-label="Help"
              aria-keyshortcuts="?"
              title="Every shortcut (?)"
            >
              ?
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
        {demo && !firstRun && <DemoBanner />}
        <main className="shell-main">
          {startProblem && (
            <p role="alert" className="error">
              {startProblem}
            </p>
          )}
          {shell.appearanceError && (
            <p role="alert" className="error">
              {shell.appearanceError}
            </p>
          )}
          {firstRun && (
            <LazyScreen>
              <WelcomeScreen setup={setup.setup} onChosen={reload} />
            </LazyScreen>
          )}
          {!firstRun && !session && !startProblem && !ownScreen && <p aria-busy="true">Starting…</p>}
          {/* Settings and Support need no cache: reachable (Wipe too) even when it cannot open. */}
          {ready && route.screen === 'settings' && (
            <LazyScreen>
              <SettingsScreen onReconnected={reload} onWipe={() => setWipeOpen(true)} />
            </LazyScreen>
          )}
          {ready && route.screen === 'support' && (
            <LazyScreen>
              <SupportPanel />
            </LazyScreen>
          )}
          {session && ready && (
            <CacheSessionContext.Provider value={session}>
              {route.screen === 'worklist' && <WorklistScreen onOpen={openAppointment} />}
              {route.screen === 'outbox' && <OutboxPanel onOpen={openAppointment} />}
              {route.screen === 'appointment' && (
                <LazyScreen>
                  <AppointmentScreen
                    domain={route.domain}
                    appointmentId={route.appointmentId}
                    timeZoneOf={(domain, site) => (site ? (zones.get(`${domain}/${site}`) ?? null) : null)}
                    onBack={() => navigate({ screen: 'worklist' })}
                  />
                </LazyScreen>
              )}
            </CacheSessionContext.Provider>
          )}
        </main>
        {shell.helpOpen && <HelpOverlay onClose={() => shell.setHelpOpen(false)} />}
        {wipeOpen && (
          <LazyScreen>
            <WipeDialog session={session} onClose={() => setWipeOpen(false)} onWiped={() => onWiped()} />
          </LazyScreen>
        )}
      </div>
    </LockGate>
  )
}
