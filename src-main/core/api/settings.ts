import { z } from 'zod'
import type { Vault } from '../vault/vault'
import { QubsError } from './errors'

/**
 * Where and as whom the app talks to QUBS. QUBS hands out the token URL, the API host, the client id and
 * secret and the allowed domains at onboarding, and the hosts may differ per partner, so all of them are
 * settings. The secret is deliberately not part of this shape: it lives in the vault under
 * `qubs.clientSecret` and is read only when a token is requested, so settings can be shown, stored and
 * sent over IPC without ever carrying it.
 */
export const CLIENT_SECRET_NAME = 'qubs.clientSecret' as const

/** The path prefix every API route starts with; the client appends it to `apiBaseUrl`. */
export const API_PATH_PREFIX = '/integrations/v1'

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1'])

/** True for 127.0.0.0/8, localhost and [::1]: the only hosts plain http is allowed for (sandbox, tests). */
export function isLoopbackHost(hostname: string): boolean {
  if (LOOPBACK_HOSTS.has(hostname.toLowerCase())) return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/**
 * An https URL, or http on loopback. PHI and credentials travel over these URLs, so plain http anywhere
 * else is refused. Query strings and fragments are refused too: they would be silently dropped or
 * mangled when paths are appended.
 */
export function isSecureUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && isLoopbackHost(url.hostname)
}

const secureUrl = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} is required` })
    .refine(isSecureUrl, { error: `${what} must be an https URL (http is allowed on loopback only)` })

const baseUrl = (what: string) =>
  secureUrl(what).refine(
    (value) => {
      // Only judged when the URL parses; an unparseable one already failed the rule above.
      if (!URL.canParse(value)) return true
      const url = new URL(value)
      return url.search === '' && url.hash === ''
    },
    { error: `${what} must not have a query or fragment` },
  )

/** A QUBS domain: a path segment, kept to a conservative URL-safe alphabet. */
export const DomainSchema = z
  .string({ error: 'domain is required' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    error: 'domain must be letters, digits, dot, dash or underscore',
  })

export const ConnectionSettingsSchema = z.object({
  tokenUrl: baseUrl('tokenUrl'),
  /** The API host, without `/integrations/v1` (the client appends it). A trailing slash is tolerated. */
  apiBaseUrl: baseUrl('apiBaseUrl').transform((value) => value.replace(/\/+$/, '')),
  clientId: z
    .string({ error: 'clientId is required' })
    .trim()
    .min(1, { error: 'clientId is required' })
    .max(256, { error: 'clientId is too long' }),
  domains: z
    .array(DomainSchema, { error: 'domains must be a list' })
    .min(1, { error: 'at least one domain is required' })
    .refine((list) => new Set(list).size === list.length, { error: 'domains must not repeat' }),
})

export type ConnectionSettings = z.output<typeof ConnectionSettingsSchema>
export type ConnectionSettingsInput = z.input<typeof ConnectionSettingsSchema>

/** Parses settings or throws a QubsError of kind 'validation' naming the bad fields (never their values). */
export function parseConnectionSettings(input: unknown): ConnectionSettings {
  const result = ConnectionSettingsSchema.safeParse(input)
  if (!result.success) throw new QubsError({ kind: 'validation', issues: issuesFromZod(result.error) })
  return result.data
}

/** Field path → messages, from our own messages only: zod's defaults never quote input values, ours neither. */
export function issuesFromZod(error: z.ZodError): Record<string, string[]> {
  const issues: Record<string, string[]> = {}
  for (const issue of error.issues) {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)'
    ;(issues[path] ??= []).push(issue.message)
  }
  return issues
}

/**
 * Reads the client secret from the vault. A missing secret is a configuration problem, reported as a
 * validation error on `clientSecret`; the value itself never leaves this function except in the token
 * request body.
 */
export async function readClientSecret(vault: Vault): Promise<string> {
  let secret: string | null
  try {
    secret = await vault.getSecret(CLIENT_SECRET_NAME)
  } catch (cause) {
    throw new QubsError({
      kind: 'validation',
      issues: { clientSecret: ['could not be read from the vault'] },
      cause,
    })
  }
  if (secret === null || secret.length === 0) {
    throw new QubsError({ kind: 'validation', issues: { clientSecret: ['is not stored in the vault'] } })
  }
  return secret
}
