import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react'
import { createRendererLogger, errorFields } from '../../bridge/log'
import { getAttachmentServices } from '../attachments/attachment-services'

/**
 * The screens the first (worklist) screen does not show, each in its own chunk and loaded on first
 * use (issue #14, cold start): the settings, support, first-run, wipe and appointment screens — the
 * last with the editor, the attachment viewers and, behind them, pdf.js. Their code is local files
 * (app:// or the harness), so loading works offline; while it runs, the screen's place says so.
 */
const log = createRendererLogger('shell')

function screen<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }))
}

export const SettingsScreen = screen(async () => (await import('../settings')).SettingsScreen)
export const SupportPanel = screen(async () => (await import('../support')).SupportPanel)
export const WelcomeScreen = screen(async () => (await import('../setup')).WelcomeScreen)
export const WipeDialog = screen(async () => (await import('../privacy')).WipeDialog)
const loadAppointmentFeature = () => import('../appointment')
export const AppointmentScreen = screen(async () => (await loadAppointmentFeature()).AppointmentScreen)

/** How long to wait for an idle moment before warming up anyway (or, without idle callbacks, at all). */
const WARM_UP_WITHIN_MS = 3000

/**
 * Once the first screen is usable (the cached list opened), at an idle moment: load the appointment
 * screen's chunk and start pdf.js (its code and worker), so that neither the first appointment nor
 * the first PDF opened waits for them — a radiologist opens a referral next more often than not.
 * Returns the cancel (the shell stops). Local files only: nothing is fetched from elsewhere.
 */
export function warmUpLaterScreens(): () => void {
  let cancelled = false
  const run = () => {
    if (cancelled) return
    void loadAppointmentFeature().catch((error: unknown) =>
      log.warn('the appointment screen could not be loaded ahead', errorFields(error)),
    )
    void getAttachmentServices()
      .then((services) => services.pdf.prepare())
      .catch(() => undefined)
  }
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: WARM_UP_WITHIN_MS })
    return () => {
      cancelled = true
      cancelIdleCallback(handle)
    }
  }
  const timer = setTimeout(run, WARM_UP_WITHIN_MS / 6)
  return () => {
    cancelled = true
    clearTimeout(timer)
  }
}

interface BoundaryState {
  readonly failed: boolean
}

/**
 * A chunk that cannot be loaded (a damaged install) must not blank the whole app: the screen's place
 * says so and the rest (header, other screens) keeps working. The reason goes to main's log.
 */
class ScreenBoundary extends Component<{ readonly children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { failed: false }

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true }
  }

  override componentDidCatch(error: unknown): void {
    log.error('a screen could not be loaded', errorFields(error))
  }

  override render(): ReactNode {
    if (this.state.failed)
      return (
        <p role="alert" className="error">
          This screen could not be loaded. Restart the app; if it happens again, reinstall it.
        </p>
      )
    return this.props.children
  }
}

/** Wraps a lazily loaded screen: an announced "Loading…" while its code loads, a message if it fails. */
export function LazyScreen({ children }: { readonly children: ReactNode }) {
  return (
    <ScreenBoundary>
      <Suspense
        fallback={
          <p role="status" aria-busy="true" className="screen-loading">
            Loading…
          </p>
        }
      >
        {children}
      </Suspense>
    </ScreenBoundary>
  )
}
