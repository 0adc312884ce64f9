import { describe, expect, it } from 'vitest'
import { checkConnection, draftFrom } from '../../src-renderer/src/features/setup/connection-draft'
import { CONFIGURED_SETUP } from './setup-fixtures'

const stored = CONFIGURED_SETUP

describe('the connection form’s check before sending', () => {
  it('keeps the stored secret (left out) only while the token URL and client id are the ones it belongs to', () => {
    const draft = draftFrom(stored)
    expect(draft.clientSecret).toBe('')
    const same = checkConnection(draft, stored)
    expect(same).toEqual({
      ok: true,
      input: {
        tokenUrl: 'https://auth.example/oauth2/token',
        apiBaseUrl: 'https://api.example',
        clientId: 'client-1',
        domains: ['north'],
      },
    })
    const otherClient = checkConnection({ ...draft, clientId: 'client-2' }, stored)
    expect(otherClient).toEqual({
      ok: false,
      errors: { clientSecret: 'type the secret for this client id and token URL' },
    })
    const otherToken = checkConnection({ ...draft, tokenUrl: 'https://other.example/token' }, stored)
    expect(otherToken.ok).toBe(false)
    expect(checkConnection({ ...draft, clientId: 'client-2', clientSecret: 's3' }, stored).ok).toBe(true)
  })

  it('needs a secret when none is stored, and names empty domains plainly', () => {
    const result = checkConnection(draftFrom(null), null)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.errors.clientSecret).toBe('the client secret is needed')
      expect(result.errors.domains).toBe('name at least one domain')
      expect(Object.keys(result.errors).sort()).toEqual([
        'apiBaseUrl',
        'clientId',
        'clientSecret',
        'domains',
        'tokenUrl',
      ])
    }
  })
})
