import { APP_ORIGIN } from './app-protocol'

/**
 * Decides whether a URL is our own renderer: anything under `app://reporter/`, or — only in an
 * unpackaged build — the electron-vite dev server's origin. Used for IPC sender checks and navigation.
 */
export interface TrustedUrlOptions {
  readonly devServerUrl: string | undefined
  readonly isPackaged: boolean
}

export function createTrustedUrlCheck(options: Readonly<TrustedUrlOptions>): (url: string) => boolean {
  const devOrigin =
    !options.isPackaged && options.devServerUrl ? new URL(options.devServerUrl).origin : undefined
  return (url: string): boolean => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return false
    }
    if (devOrigin && parsed.origin === devOrigin) return true
    // Node's URL gives custom schemes an opaque origin ('null'), so compare scheme and host instead.
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN && !parsed.username && !parsed.password
  }
}
