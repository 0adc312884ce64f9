import { BrowserWindow } from 'electron'
import type { Logger } from '../common/logger'
import { APP_ENTRY_URL } from './app-protocol'

/**
 * The one window factory. The page runs sandboxed and context-isolated with no Node integration and
 * reaches main only through the preload's `window.qubs`. The security-relevant web preferences are
 * written literally here, at `new BrowserWindow`, because electronegativity only sees them there
 * (test/main/electron/window.test.ts holds them to Electron's checklist).
 */
export interface MainWindowOptions {
  readonly preloadPath: string
  /** The dev server URL in development (never when packaged), otherwise undefined: app:// is loaded. */
  readonly devServerUrl: string | undefined
  readonly logger: Logger
}

export function createMainWindow(options: Readonly<MainWindowOptions>): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'QUBS Reporter',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links in a new window without the window-open handler's say.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      // A page stuck in alert() loops cannot lock the person out of their reports.
      safeDialogs: true,
      spellcheck: true,
    },
  })
  window.once('ready-to-show', () => window.show())
  const target = options.devServerUrl ?? APP_ENTRY_URL
  window.loadURL(target).catch((error: unknown) => options.logger.error('window failed to load', { error }))
  return window
}
