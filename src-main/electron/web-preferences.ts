import type { WebPreferences } from 'electron'

/**
 * The page's web preferences, in one place so a test can hold them to Electron's security checklist:
 * sandboxed, context-isolated, no Node in the page or its workers, web security on, no webviews, no
 * experimental features, no insecure content. The preload is the only bridge.
 */
export function mainWindowWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  }
}
