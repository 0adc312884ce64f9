import type { AppointmentView, NotificationShown, Settings } from '../../../src-preload/contract'
import type { Clock } from '../../common/clock'
import type { Logger } from '../../common/logger'
import type { OutboxEntrySummary } from '../outbox'

/**
 * Desktop notifications for what needs the radiologist while they look elsewhere: a submission that
 * is held (QUBS refused it; it waits for them in the outbox) and reports due soon (from the worklist
 * main last read). Each entry and each appointment is told once. The text names no patient unless
 * `settings.privacy.notificationsShowPatient` allows it: a notification shows on a locked screen and
 * in screen shares.
 */
export interface Notice {
  readonly title: string
  readonly body: string
}

/** Shows one desktop notification (Electron: `Notification`; the harness records it). */
export type Notify = (notice: Notice) => void

export interface DesktopNoticesOptions {
  readonly notify: Notify
  readonly settings: () => Settings
  readonly clock: Clock
  readonly logger: Logger
  /** Told about every notice shown, for the page's list (`notificationShown`). */
  readonly onShown?: (shown: NotificationShown) => void
}

const HELD_WORDS: Readonly<Record<string, string>> = {
  invalid: 'QUBS refused its content',
  'not-pending': 'the appointment is no longer waiting for a report',
  conflict: 'QUBS already has a different submission under the same key',
  forbidden: 'the connection may not write to that domain or site',
  'too-old': 'it is too old to resend safely',
  'upload-rejected': 'the file upload was refused',
}

/** What a due-soon notice reads of a worklist row. */
export type DueItem = Pick<
  AppointmentView,
  'domain' | 'appointmentId' | 'reportNeededBy' | 'patientName' | 'studyDescription'
>

export class DesktopNotices {
  readonly #options: Readonly<DesktopNoticesOptions>
  readonly #logger: Logger
  readonly #heldTold = new Set<string>()
  readonly #dueTold = new Set<string>()
  /** Patient names from the last worklist, only used when the person allows names in notifications. */
  #names = new Map<string, string>()

  constructor(options: Readonly<DesktopNoticesOptions>) {
    this.#options = options
    this.#logger = options.logger.child('notifications')
  }

  entryChanged(entry: Readonly<OutboxEntrySummary>): void {
    if (entry.state !== 'held' || this.#heldTold.has(entry.id)) return
    this.#heldTold.add(entry.id)
    const settings = this.#options.settings()
    if (!settings.notifications.heldSubmissions) return
    const what =
      entry.kind === 'report' ? `A ${entry.reportStatus ?? ''} report`.replace('  ', ' ') : 'A submission'
    const name = settings.privacy.notificationsShowPatient ? this.#names.get(keyOf(entry)) : undefined
    const why = (entry.heldReason && HELD_WORDS[entry.heldReason]) ?? 'QUBS refused it'
    this.#show('held', {
      title: 'A submission needs you',
      body: `${what}${name ? ` for ${name}` : ''} was not delivered: ${why}. It waits in the outbox.`,
    })
  }

  worklistRefreshed(items: readonly DueItem[]): void {
    const settings = this.#options.settings()
    this.#names = new Map(
      items.flatMap((item) => (item.patientName ? [[keyOf(item), item.patientName]] : [])),
    )
    if (!settings.notifications.dueSoon) return
    const now = this.#options.clock.now()
    const windowMs = settings.notifications.dueSoonMinutes * 60_000
    const due = items.filter((item) => {
      const at = item.reportNeededBy ? Date.parse(item.reportNeededBy) : Number.NaN
      return Number.isFinite(at) && at > now && at - now <= windowMs && !this.#dueTold.has(keyOf(item))
    })
    if (due.length === 0) return
    for (const item of due) this.#dueTold.add(keyOf(item))
    const minutes = settings.notifications.dueSoonMinutes
    const [first] = due
    if (due.length === 1 && first) {
      const left = Math.max(1, Math.round((Date.parse(first.reportNeededBy ?? '') - now) / 60_000))
      const who = settings.privacy.notificationsShowPatient
        ? [first.patientName, first.studyDescription].filter(Boolean).join(', ')
        : ''
      this.#show('due-soon', {
        title: 'A report is due soon',
        body: who ? `${who}: due in ${left} min.` : `A report is due in ${left} min.`,
      })
      return
    }
    this.#show('due-soon', {
      title: 'Reports are due soon',
      body: `${due.length} reports are due within ${minutes} min.`,
    })
  }

  #show(kind: NotificationShown['kind'], notice: Notice): void {
    try {
      this.#options.notify(notice)
      this.#options.onShown?.({ kind, ...notice })
    } catch (error) {
      // A notification is a courtesy: failing to show one must not fail the refresh or the delivery.
      this.#logger.warn('a notification could not be shown', { kind, error })
    }
  }
}

function keyOf(item: { readonly domain: string; readonly appointmentId: string }): string {
  return JSON.stringify([item.domain, item.appointmentId])
}
