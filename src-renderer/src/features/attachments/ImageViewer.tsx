import { useEffect, useRef, useState } from 'react'
import type { ImageMimeType } from './content-kind'

interface ImageViewerProps {
  readonly bytes: Uint8Array
  readonly mimeType: ImageMimeType
  readonly label: string
}

/** Shows an image natively from a blob: URL (revoked when closed); click toggles fit / actual size. */
export function ImageViewer({ bytes, mimeType, label }: ImageViewerProps) {
  const imageRef = useRef<HTMLImageElement>(null)
  const [actualSize, setActualSize] = useState(false)

  // The URL lives exactly as long as the <img> shows it.
  useEffect(() => {
    const image = imageRef.current
    if (!image) return
    const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mimeType }))
    image.src = url
    return () => {
      image.removeAttribute('src')
      URL.revokeObjectURL(url)
    }
  }, [bytes, mimeType])

  return (
    <div className="attachment-image-stage">
      <div className="attachment-toolbar" role="toolbar" aria-label="Image">
        <button type="button" aria-pressed={actualSize} onClick={() => setActualSize((value) => !value)}>
          {actualSize ? 'Fit to window' : 'Actual size'}
        </button>
      </div>
      <div className="attachment-canvas-scroll" tabIndex={0} aria-label="Image">
        <img
          ref={imageRef}
          alt={label}
          className={actualSize ? 'attachment-image actual-size' : 'attachment-image'}
          onClick={() => setActualSize((value) => !value)}
        />
      </div>
    </div>
  )
}
