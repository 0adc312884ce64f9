import { Notification, shell } from 'electron'
import type { Logger } from '../common/logger'
import type { OpenExternal } from '../core/app/pacs-link'
import type { Notify } from '../core/app/notifications'

/**
 * The desktop ports the core asks for, on Electron: notifications through the OS notification
 * centre, and the system browser for the PACS viewer. Neither logs what it shows or opens (a notice
 * may name a patient when the person allowed it; a viewer URL carries identifiers).
 */
export function electronNotify(logger: Logger): Notify {
  return (notice) => {
    if (!Notification.isSupported()) {
      logger.info('desktop notifications are not supported here')
      return
    }
    new Notification({ title: notice.title, body: notice.body }).show()
  }
}

/**
 * Opens a URL in the system browser only when its origin is one of `allowedOrigins`. Stands in for the
 * shell's `openExternalAllowed` (src-main/electron/open-external.ts) until that is merged; the core has
 * already checked the origin, this is the second check at the edge.
 */
export function electronOpenExternal(): OpenExternal {
  return async (url, allowedOrigins) => {
    if (!URL.canParse(url) || !allowedOrigins.includes(new URL(url).origin)) {
      throw new Error('refused to open a URL outside its allowed origin')
    }
    await shell.openExternal(url)
  }
}
