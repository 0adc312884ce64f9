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
  // The attachment viewer shows cached PDFs from blob: URLs.
  "frame-src 'self' blob:",
  "object-src 'none'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
