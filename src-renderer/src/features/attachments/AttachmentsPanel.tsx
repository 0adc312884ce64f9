import { useEffect, useId, useState } from 'react'
import type { AttachmentView } from '../../../../src-preload/contract'
import { appointmentRowKey } from '../../db/database'
import { displayFileName, formatAddedDate, personName } from './attachment-format'
import { getAttachmentServices, type AttachmentServices } from './attachment-services'
import { AttachmentViewer } from './AttachmentViewer'
import { listStateOf, useAttachmentsStore } from './attachments-store'
import './attachments.css'

export interface AttachmentsPanelProps {
  readonly domain: string
  readonly appointmentId: string
}

/**
 * An appointment's attachments (referrals, worksheets…): the list with what is cached for offline use,
 * and the viewer for the one opened. Shown from the cache at once, then refreshed from QUBS.
 */
export function AttachmentsPanel({ domain, appointmentId }: AttachmentsPanelProps) {
  const headingId = useId()
  const load = useAttachmentsStore((state) => state.load)
  const list = useAttachmentsStore((state) => listStateOf(state.lists, domain, appointmentId))
  const [services, setServices] = useState<AttachmentServices | null>(null)
  // Remembered with its appointment, so switching appointments never shows the last one's file.
  const [opening, setOpening] = useState<{ readonly rowKey: string; readonly guid: string } | null>(null)
  const rowKey = appointmentRowKey(domain, appointmentId)
  const openGuid = opening?.rowKey === rowKey ? opening.guid : null
  const setOpenGuid = (guid: string | null) => setOpening(guid === null ? null : { rowKey, guid })

  useEffect(() => {
    void load(domain, appointmentId)
  }, [load, domain, appointmentId])

  useEffect(() => {
    let cancelled = false
    getAttachmentServices()
      .then((ready) => {
        if (cancelled) return
        setServices(ready)
        // A radiologist opens a referral next more often than not: have pdf.js ready for it.
        ready.pdf.prepare()
      })
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
  }, [])

  const items = list.items ?? []
  const opened = items.find((item) => item.guid === openGuid) ?? null

  return (
    <section className="attachments-panel" role="region" aria-labelledby={headingId}>
      <header className="attachments-header">
        <h2 id={headingId}>Attachments</h2>
        {list.items && (
          <span className="attachments-summary">
            {items.length === 0 ? 'none' : `${countCached(items, list.cached)} of ${items.length} cached`}
          </span>
        )}
        {list.refreshing && (
          <span className="attachments-status" aria-live="polite">
            Updating…
          </span>
        )}
        {list.stale && !list.refreshing && (
          <span className="attachments-status" aria-live="polite">
            Saved copy — QUBS not reachable
          </span>
        )}
      </header>
      {list.error && (
        <div role="alert" className="attachment-error">
          <p>{list.error}</p>
          <button type="button" onClick={() => void load(domain, appointmentId)} disabled={list.refreshing}>
            Try again
          </button>
        </div>
      )}
      {!list.items && !list.error && (
        <p aria-busy="true" className="attachment-note">
          Loading attachments…
        </p>
      )}
      {list.items && items.length === 0 && (
        <p className="attachment-note">This appointment has no attachments.</p>
      )}
      {items.length > 0 && (
        <table className="attachments-table" aria-label="Attachment files">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">File</th>
              <th scope="col">Added</th>
              <th scope="col">Added by</th>
              <th scope="col">Offline</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <AttachmentRow
                key={item.guid}
                item={item}
                cached={isCurrentInCache(item, list.cached)}
                withoutContent={
                  list.withoutContent.has(item.guid) &&
                  list.withoutContent.get(item.guid) === item.lastModifiedDateTime
                }
                open={item.guid === openGuid}
                onOpen={() => setOpenGuid(item.guid)}
              />
            ))}
          </tbody>
        </table>
      )}
      {opened && services && (
        <AttachmentViewer
          key={opened.guid}
          services={services}
          domain={domain}
          appointmentId={appointmentId}
          view={opened}
          onClose={() => setOpenGuid(null)}
        />
      )}
    </section>
  )
}

interface AttachmentRowProps {
  readonly item: AttachmentView
  readonly cached: boolean
  /** QUBS answered that it has no file for this version yet. */
  readonly withoutContent: boolean
  readonly open: boolean
  readonly onOpen: () => void
}

function AttachmentRow({ item, cached, withoutContent, open, onOpen }: AttachmentRowProps) {
  return (
    <tr className={open ? 'is-open' : undefined} aria-current={open ? 'true' : undefined}>
      <td>{item.category ?? '—'}</td>
      <td>
        <button type="button" className="attachment-open" onClick={onOpen}>
          {displayFileName(item)}
        </button>
      </td>
      <td>{formatAddedDate(item.addedDateTime)}</td>
      <td>{personName(item.addedBy)}</td>
      <td>
        <span className={cached ? 'cache-marker cached' : 'cache-marker'}>
          {cached ? 'cached' : withoutContent ? 'no content yet' : 'not cached'}
        </span>
      </td>
    </tr>
  )
}

function isCurrentInCache(item: AttachmentView, cached: ReadonlyMap<string, string | null>): boolean {
  return cached.has(item.guid) && cached.get(item.guid) === item.lastModifiedDateTime
}

function countCached(items: readonly AttachmentView[], cached: ReadonlyMap<string, string | null>): number {
  return items.filter((item) => isCurrentInCache(item, cached)).length
}
