import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, sep } from 'node:path'
import type { Logger } from '../common/logger'
import { CONTENT_SECURITY_POLICY } from './csp'

/**
 * The renderer is served from `app://reporter/` (Electron's security checklist: prefer a custom
 * protocol to `file://`, which would let the page read any file the user can). Only files under the
 * built renderer directory are answered; everything else is refused with a reason that is logged
 * without the requested path. Kept free of Electron imports (the composition root hands this handler
 * to `protocol.handle`) so the whole request→file decision runs under plain Node in tests.
 */
export const APP_SCHEME = 'app'
/** A fixed host, so the page has one origin ('self' in the CSP) that no other content can share. */
export const APP_HOST = 'reporter'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * For `protocol.registerSchemesAsPrivileged`, before the app is ready. standard: a real origin with
 * relative URLs, localStorage and IndexedDB; secure: treated like https (no mixed-content downgrade);
 * supportFetchAPI: pdf.js and the page may fetch their own assets; corsEnabled: Vite emits
 * `<script type="module" crossorigin>` and module workers, which Chromium fetches in CORS mode;
 * codeCache: V8 keeps the compiled scripts between starts, as it does for https (by default it does not
 * for custom schemes, so every cold start would parse and compile the renderer again; issue #14).
 * Never `bypassCSP`: the policy must hold for our own pages too.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.bcmap': 'application/octet-stream',
}

export type AppRequestResolution =
  | { readonly ok: true; readonly path: string; readonly mimeType: string }
  | { readonly ok: false; readonly status: 403 | 404; readonly reason: string }

/**
 * Which file a request URL names, decided on the URL alone. Refuses (403) anything that could name a
 * file outside `rendererDir` once decoded — `..` segments, encoded slashes or backslashes, NUL bytes,
 * broken escapes — and (404) any URL that is not `app://reporter/...`. Symlinks are checked by the
 * handler, which can see the disk.
 */
export function resolveAppRequest(rendererDir: string, url: string): AppRequestResolution {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { ok: false, status: 404, reason: 'not a URL' }
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return { ok: false, status: 404, reason: 'not the application origin' }
  }
  if (parsed.username || parsed.password) return { ok: false, status: 404, reason: 'credentials in the URL' }
  let decoded: string
  try {
    decoded = decodeURIComponent(parsed.pathname)
  } catch {
    return { ok: false, status: 403, reason: 'malformed percent-encoding' }
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, status: 403, reason: 'forbidden character in the path' }
  }
  const segments = decoded.split('/').filter((segment) => segment !== '')
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, status: 403, reason: 'path leaves the renderer directory' }
  }
  // An encoded leading slash ("%2Fetc") decodes to "//etc": a second slash is never one of ours.
  if (decoded.startsWith('//')) return { ok: false, status: 403, reason: 'absolute path in the URL' }
  const relativePath = segments.length === 0 ? 'index.html' : segments.join('/')
  const path = join(rendererDir, relativePath)
  if (!isInside(rendererDir, path)) {
    return { ok: false, status: 403, reason: 'path leaves the renderer directory' }
  }
  const mimeType = MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
  return { ok: true, path, mimeType }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}

export interface AppRequestHandlerOptions {
  readonly rendererDir: string
  readonly logger: Logger
}

/** The function given to `protocol.handle('app', …)`: a Request in, a Response out, CSP on every one. */
export function createAppRequestHandler(
  options: Readonly<AppRequestHandlerOptions>,
): (request: Request) => Promise<Response> {
  const { rendererDir, logger } = options
  // Resolved once: the renderer directory may itself be reached through a symlink (e.g. in dev).
  const realRoot = realpath(rendererDir).catch(() => rendererDir)
  const refuse = (status: number, reason: string): Response => {
    logger.warn('app request refused', { status, reason })
    return respond(status, `${status}`, 'text/plain; charset=utf-8')
  }
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed')
    const resolution = resolveAppRequest(rendererDir, request.url)
    if (!resolution.ok) return refuse(resolution.status, resolution.reason)
    let real: string
    try {
      real = await realpath(resolution.path)
      if (!(await stat(real)).isFile()) return refuse(404, 'not a file')
    } catch {
      return refuse(404, 'no such file')
    }
    if (!isInside(await realRoot, real)) return refuse(403, 'symlink leads out of the renderer directory')
    const body = request.method === 'HEAD' ? null : await readFile(real)
    return respond(200, body, resolution.mimeType)
  }
}

function respond(
  status: number,
  body: Uint8Array<ArrayBuffer> | string | null,
  contentType: string,
): Response {
  // webRequest.onHeadersReceived does not see custom-protocol responses: the CSP goes here.
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  })
}
