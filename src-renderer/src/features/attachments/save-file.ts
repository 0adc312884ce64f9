/**
 * Offers bytes for saving under a file name: an <a download> on a blob: URL, which Chromium turns into
 * a download (a save dialog in Electron, through the session's will-download). The URL is revoked once
 * the browser has taken the bytes.
 */
export function saveBytes(bytes: Uint8Array, fileName: string, mimeType = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  try {
    link.click()
  } finally {
    link.remove()
    // The download has read the blob by the next task; revoking now would cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 30_000)
  }
}
