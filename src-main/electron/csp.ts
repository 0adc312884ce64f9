/**
 * The Content-Security-Policy sent with every response to the page (see security.ts). Kept free of
 * Electron imports so tests can check it under plain Node.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // React sets style attributes; no remote styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // pdf.js parses PDFs in a worker bundled with the app (never a CDN or a blob: script).
  "worker-src 'self'",
  // PDFs are drawn by pdf.js onto a canvas, images shown from blob: URLs: nothing needs a frame.
  "frame-src 'none'",
  "object-src 'none'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
