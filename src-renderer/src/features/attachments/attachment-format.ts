import type { AttachmentView, UserRefView } from '../../../../src-preload/contract'

/** How attachment metadata reads in the list. */
export function personName(user: UserRefView | null): string {
  if (!user) return '—'
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
  return name || user.username || user.initials || '—'
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

/** QUBS dates are UTC; the list shows them in the workstation's time. */
export function formatAddedDate(value: string | null): string {
  if (!value) return '—'
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date)
}

export function displayFileName(view: AttachmentView): string {
  return view.fileName?.trim() || `Attachment ${view.guid.slice(0, 8)}`
}

/** A name safe to offer when saving: no path separators or control characters. */
export function safeDownloadName(view: AttachmentView): string {
  const unsafe = (c: string) => c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c)
  const cleaned = Array.from(displayFileName(view), (c) => (unsafe(c) ? '_' : c))
    .join('')
    .slice(0, 200)
  return cleaned || 'attachment'
}
