import { pathToFileURL } from 'node:url'

/**
 * Decides whether a URL is our own renderer: the built index.html under the renderer directory, or
 * the electron-vite dev server's origin during development. Used for IPC sender checks and navigation.
 */
export function createTrustedUrlCheck(rendererDir: string, devServerUrl: string | undefined) {
  const rendererRoot = pathToFileURL(rendererDir.endsWith('/') ? rendererDir : `${rendererDir}/`).href
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined
  return (url: string): boolean => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return false
    }
    if (devOrigin && parsed.origin === devOrigin) return true
    return parsed.protocol === 'file:' && parsed.href.startsWith(rendererRoot)
  }
}
