import { join } from 'node:path'
import { BrowserWindow } from 'electron'
import type { Logger } from '../common/logger'
import { mainWindowWebPreferences } from './web-preferences'

/**
 * The one window factory. The page runs sandboxed and context-isolated with no Node integration and
 * reaches main only through the preload's `window.qubs`.
 */
export interface MainWindowOptions {
  readonly preloadPath: string
  /** The dev server URL in development, otherwise undefined (the built index.html is loaded). */
  readonly devServerUrl: string | undefined
  readonly rendererDir: string
  readonly isTrustedUrl: (url: string) => boolean
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
    webPreferences: mainWindowWebPreferences(options.preloadPath),
  })
  window.once('ready-to-show', () => window.show())
  if (options.devServerUrl) {
    void window.loadURL(options.devServerUrl)
  } else {
    void window.loadFile(join(options.rendererDir, 'index.html'))
  }
  return window
}
