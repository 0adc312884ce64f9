import type { RefObject } from 'react'
import { MAX_REPORT_TEXT_BYTES } from '../../../../src-preload/contract'

/** The byte counter shows from here on: the person sees the limit coming, not only once it is hit. */
const COUNTER_FROM_BYTES = Math.floor(MAX_REPORT_TEXT_BYTES * 0.9)

export function SurfaceToolbar({
  readOnly,
  byteCount,
  savedAt,
}: Readonly<{
  fieldRef: RefObject<HTMLTextAreaElement | null>
  readOnly: boolean
  byteCount: number
  savedAt: number | null
}>) {
  const over = byteCount > MAX_REPORT_TEXT_BYTES
  return (
    <div className="surface-toolbar">
      <span className="muted draft-saved" aria-live="off">
        {readOnly
          ? 'Delivered'
          : savedAt
            ? `Draft saved ${new Date(savedAt).toLocaleTimeString()}`
            : 'Not saved yet'}
      </span>
      {byteCount >= COUNTER_FROM_BYTES && (
        <span className={over ? 'byte-count error' : 'byte-count warning'} role="status">
          {byteCount.toLocaleString('en')} / {MAX_REPORT_TEXT_BYTES.toLocaleString('en')} bytes
          {over ? ' — too long to send' : ''}
        </span>
      )}
    </div>
  )
}
