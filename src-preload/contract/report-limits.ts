/**
 * The limits of what a report submission may hold. They are the QUBS client's (core/api/validation.ts;
 * a test keeps the two equal). No imports, not even zod's set-up: the core reads these too and must not
 * inherit the page's eval-free zod mode.
 */
export const MAX_REPORT_TEXT_BYTES = 2_097_152
/** QUBS's single-PUT object limit, read as the smaller megabyte (see core/api/validation.ts). */
export const MAX_REPORT_ATTACHMENT_BYTES = 2_000_000
export const MAX_ATTACHMENT_FILE_NAME_CHARS = 255
/**
 * The limit per report. QUBS documents "max 20 items per request" for upload URLs; the app
 * asks for one URL per file, so the outbox counts a report's files instead (at enqueue, in main).
 */
export const MAX_REPORT_ATTACHMENTS = 20
