import type { Logger } from '../common/logger'

/**
 * The only way the application hands a URL to the operating system (`shell.openExternal`; Electron's
 * checklist: never with untrusted content). A URL is opened only when it is https — or http to a
 * loopback address (a viewer running on this workstation: the traffic never leaves the machine) — on
 * an origin in the allow-list, without credentials, and at most 2 000 characters long. Everything
 * else is refused and the reason logged; the URL itself never is (its query may carry a patient id).
 *
 * Stable interface for callers (the PACS image-viewer link passes the configured origin):
 *   openExternalAllowed(url, allowedOrigins, { openExternal: shell.openExternal, logger })
 */
export const MAX_EXTERNAL_URL_LENGTH = 2000

export type ExternalUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string }

export type OpenExternalOutcome =
  { readonly opened: true } | { readonly opened: false; readonly reason: string }

export interface OpenExternalIo {
  /** Electron's `shell.openExternal` in the app; a recorder in tests. */
  readonly openExternal: (url: string) => Promise<void>
  readonly logger: Logger
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The decision alone, with no side effect. */
export function checkExternalUrl(url: string, allowedOrigins: readonly string[]): ExternalUrlCheck {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) {
    return { ok: false, reason: `the link is longer than ${MAX_EXTERNAL_URL_LENGTH} characters` }
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { ok: false, reason: 'the link is not a URL' }
  }
  const secure = parsed.protocol === 'https:'
  const loopbackHttp = parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)
  if (!secure && !loopbackHttp) {
    return { ok: false, reason: 'only https links (or http to this computer) may be opened' }
  }
  if (parsed.username || parsed.password) return { ok: false, reason: 'the link carries credentials' }
  const allowed = new Set(allowedOrigins.map(originOf).filter((origin) => origin !== undefined))
  if (!allowed.has(parsed.origin)) return { ok: false, reason: 'the link origin is not on the allow-list' }
  return { ok: true, url: parsed.href }
}

/** Opens `url` in the person's default application when `checkExternalUrl` allows it. */
export async function openExternalAllowed(
  url: string,
  allowedOrigins: readonly string[],
  io: Readonly<OpenExternalIo>,
): Promise<OpenExternalOutcome> {
  const check = checkExternalUrl(url, allowedOrigins)
  if (!check.ok) {
    io.logger.warn('external link refused', { reason: check.reason })
    return { opened: false, reason: check.reason }
  }
  try {
    await io.openExternal(check.url)
    return { opened: true }
  } catch (error) {
    // The error's message may repeat the URL: only its name is logged.
    io.logger.warn('external link failed', { errorName: error instanceof Error ? error.name : 'unknown' })
    return { opened: false, reason: 'the operating system could not open the link' }
  }
}

/** An allow-list entry must be exactly an origin ("https://host[:port]"); anything else allows nothing. */
function originOf(entry: string): string | undefined {
  try {
    const parsed = new URL(entry)
    if (parsed.origin === 'null' || entry.replace(/\/$/, '') !== parsed.origin) return undefined
    return parsed.origin
  } catch {
    return undefined
  }
}
