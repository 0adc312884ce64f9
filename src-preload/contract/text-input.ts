import './zod-setup'
import { z } from 'zod'

/**
 * Text a person wrote, as it enters over IPC. A JS string with a lone surrogate has no UTF-8 form:
 * QUBS would receive U+FFFD in its place, so it is refused rather than silently changed. One leading
 * byte-order mark (U+FEFF, left by some editors and paste sources) is removed.
 */
export const TextInputSchema = z
  .string()
  .refine((text) => text.isWellFormed(), {
    error: 'text contains a broken character (a lone UTF-16 surrogate)',
  })
  .transform((text) => (text.startsWith('\uFEFF') ? text.slice(1) : text))
