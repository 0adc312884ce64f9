import {
  ConnectionInputSchema,
  type ConnectionField,
  type ConnectionInput,
  type ConnectionSetup,
} from '../../../../src-preload/contract/setup-schemas'

/** The connection form as typed: every field text; domains comma-separated. */
export type ConnectionDraft = Readonly<Record<ConnectionField, string>>

export const CONNECTION_FIELDS: readonly {
  readonly field: ConnectionField
  readonly label: string
  readonly hint: string
}[] = [
  { field: 'tokenUrl', label: 'Token URL', hint: 'e.g. https://authenticate.qubs.io/oauth2/token' },
  { field: 'apiBaseUrl', label: 'API base URL', hint: 'e.g. https://partners.qubs.io' },
  { field: 'clientId', label: 'Client id', hint: 'from your QUBS onboarding' },
  { field: 'clientSecret', label: 'Client secret', hint: 'kept in the system keystore, never shown again' },
  { field: 'domains', label: 'Domains', hint: 'comma-separated, e.g. north, south' },
]

/** The form's first content: what main holds (never the secret, which stays empty). */
export function draftFrom(setup: ConnectionSetup | null): ConnectionDraft {
  // The demo's own connection is not the person's: the form starts empty there.
  const c = setup?.mode === 'demo' ? null : (setup?.connection ?? null)
  return {
    tokenUrl: c?.tokenUrl ?? '',
    apiBaseUrl: c?.apiBaseUrl ?? '',
    clientId: c?.clientId ?? '',
    domains: c?.domains.join(', ') ?? '',
    clientSecret: '',
  }
}

export type ConnectionCheck =
  | { readonly ok: true; readonly input: ConnectionInput }
  | { readonly ok: false; readonly errors: Partial<Record<ConnectionField, string>> }

/**
 * The stored secret main may use for this draft: main binds it to the token URL, client id and API
 * base URL it was saved with (never the demo's), so with any changed the person types the secret again.
 */
function storedSecretFits(draft: ConnectionDraft, setup: ConnectionSetup | null): boolean {
  const c = setup?.mode === 'demo' ? null : setup?.connection
  return (
    c?.hasClientSecret === true &&
    c.tokenUrl === draft.tokenUrl.trim() &&
    c.clientId === draft.clientId.trim() &&
    c.apiBaseUrl === draft.apiBaseUrl.trim()
  )
}

/**
 * The draft as the contract's input, checked with its schema before anything is sent. An empty
 * secret keeps the stored one, so it is left out — where one fits, else it is required.
 */
export function checkConnection(draft: ConnectionDraft, setup: ConnectionSetup | null): ConnectionCheck {
  const secret = draft.clientSecret
  const candidate = {
    tokenUrl: draft.tokenUrl.trim(),
    apiBaseUrl: draft.apiBaseUrl.trim(),
    clientId: draft.clientId.trim(),
    domains: draft.domains
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean),
    ...(secret ? { clientSecret: secret } : {}),
  }
  const parsed = ConnectionInputSchema.safeParse(candidate)
  const errors: Partial<Record<ConnectionField, string>> = {}
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as ConnectionField
      errors[field] ??=
        field === 'domains' && candidate.domains.length === 0 ? 'name at least one domain' : issue.message
    }
  }
  if (!secret && !storedSecretFits(draft, setup)) {
    const stored = setup?.mode !== 'demo' && setup?.connection?.hasClientSecret === true
    errors.clientSecret = stored
      ? 'type the secret for this client id and token URL'
      : 'the client secret is needed'
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data }
  return { ok: false, errors }
}
