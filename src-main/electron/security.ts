import type { Session, WebContents } from 'electron'
import type { Logger } from '../common/logger'
import { CONTENT_SECURITY_POLICY } from './csp'

/**
 * Session-wide hardening, following Electron's security checklist (docs/SECURITY.md): a strict
 * Content-Security-Policy on every http(s) response (the dev server; app:// responses carry it from
 * app-protocol.ts), no permission, device or screen capture granted to the page, no navigation away
 * from the app and no new windows. External links are opened only through open-external.ts. The only
 * downloads are the files the page itself made (`blob:` URLs: "Save a copy" of a cached attachment);
 * Electron asks the person where to save them.
 */

export function hardenSession(session: Session, logger: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('permission refused', { reason: permission })
    callback(false)
  })
  session.setPermissionCheckHandler(() => false)
  // WebHID, Web Serial and WebUSB: no device is ever offered to the page.
  session.setDevicePermissionHandler(() => false)
  // getDisplayMedia: answering with no video and no audio refuses the capture.
  session.setDisplayMediaRequestHandler((_request, callback) => {
    logger.warn('screen capture refused', { reason: 'the application never captures the screen' })
    callback({})
  })
  session.on('will-download', (event, item) => {
    if (isPageMadeFile(item.getURL())) return
    event.preventDefault()
    logger.warn('download refused', { reason: 'only files the application made may be saved' })
  })
}

/** A `blob:` URL is made by the page from bytes it already holds; anything else would fetch from afar. */
export function isPageMadeFile(url: string): boolean {
  return url.startsWith('blob:')
}

export function hardenWebContents(
  contents: WebContents,
  isTrustedUrl: (url: string) => boolean,
  logger: Logger,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) {
      event.preventDefault()
      logger.warn('navigation refused', { reason: 'target is not the application' })
    }
  })
  // The app uses no sub-frames (PDFs draw on a canvas; the CSP says frame-src 'none'): a frame may
  // show only our own content.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isTrustedUrl(event.url)) return
    event.preventDefault()
    logger.warn('frame navigation refused', { reason: 'target is not the application' })
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    logger.warn('webview refused', { reason: 'webviews are not used by this application' })
  })
  contents.setWindowOpenHandler(() => {
    logger.warn('new window refused', { reason: 'the application opens no windows from the page' })
    return { action: 'deny' }
  })
}
