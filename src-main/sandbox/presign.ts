/**
 * Presigned URLs for attachment content and report attachment uploads, in the manner of object
 * storage: the URL itself is the credential (no bearer token), signed with an HMAC key made at
 * start-up and carrying its own expiry, checked against the sandbox clock.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

const presignedSchema = z.object({
  op: z.enum(['download', 'upload']),
  domain: z.string(),
  appointmentId: z.string(),
  guid: z.string(),
  expiresAtMs: z.number(),
  disposition: z.enum(['inline', 'attachment']).optional(),
  contentType: z.string().nullable().optional(),
})

export type PresignedPayload = z.infer<typeof presignedSchema>

export class Presigner {
  readonly #key = randomBytes(32)

  sign(payload: PresignedPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${body}.${this.#mac(body)}`
  }

  /** The payload of a token whose signature is ours; null for anything else. Expiry is the caller's. */
  verify(token: string): PresignedPayload | null {
    const [body, mac, ...rest] = token.split('.')
    if (!body || !mac || rest.length > 0) return null
    const expected = Buffer.from(this.#mac(body))
    const given = Buffer.from(mac)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
    try {
      const parsed = presignedSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url')
  }
}
