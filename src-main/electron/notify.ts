import { Notification } from 'electron'
import type { Logger } from '../common/logger'
import type { Notify } from '../core/app/notifications'

/**
 * The desktop ports the core asks for, on Electron: notifications through the OS notification
 * centre, and the system browser for the PACS viewer (index.ts, through open-external.ts). Neither logs what it shows or opens (a notice
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
