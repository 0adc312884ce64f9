import { describe, expect, it } from 'vitest'
import { QubsError } from '../../../src-main/core/api'
import { explainConnectionFailure } from '../../../src-main/core/app/connection-problem'

const token = { step: 'token', url: 'https://auth.example.org/oauth2/token?x=1' } as const
const worklist = { step: 'worklist', url: 'https://api.example.org', domain: 'acme' } as const

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code })
}

describe('explainConnectionFailure', () => {
  it('tells a name that does not resolve from a refused connection and an untrusted certificate, by origin only', () => {
    const dns = new QubsError({
      kind: 'network',
      cause: new Error('fetch failed', { cause: socketError('ENOTFOUND') }),
    })
    expect(explainConnectionFailure(dns, token).message).toBe(
      'QUBS could not be reached at https://auth.example.org: no server has that name. Check the address.',
    )
    const tls = new QubsError({ kind: 'network', cause: socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE') })
    expect(explainConnectionFailure(tls, worklist).message).toBe(
      'QUBS could not be reached at https://api.example.org: its security certificate is not trusted on this computer.',
    )
    const refused = new QubsError({ kind: 'network', cause: socketError('ECONNREFUSED') })
    expect(explainConnectionFailure(refused, worklist).message).toContain('the connection was refused')
  })

  it('explains answers by status, keeping the ids, and never repeats the server detail', () => {
    const ids = { requestId: 'req-1', correlationId: 'corr-1' }
    const forbidden = new QubsError({ kind: 'http', status: 403, detail: 'Testpatient, Alice', ...ids })
    expect(explainConnectionFailure(forbidden, worklist)).toEqual({
      message: 'QUBS refused the domain "acme": it is not an allowed domain for this client id.',
      status: 403,
      ...ids,
    })
    expect(explainConnectionFailure(new QubsError({ kind: 'http', status: 404 }), token).message).toBe(
      'Nothing was found at the token URL (https://auth.example.org, status 404). Check the address.',
    )
    expect(
      explainConnectionFailure(new QubsError({ kind: 'http', status: 503 }), worklist).message,
    ).toContain('QUBS had a problem answering (status 503)')
    expect(
      explainConnectionFailure(new QubsError({ kind: 'auth', status: 400, ...ids }), token),
    ).toMatchObject({
      message: 'QUBS refused the client id or secret. Check both with the values QUBS gave you.',
      requestId: 'req-1',
    })
    expect(explainConnectionFailure(new QubsError({ kind: 'timeout' }), worklist).message).toBe(
      'QUBS did not answer in time at https://api.example.org. Check the address, or try again later.',
    )
    expect(
      explainConnectionFailure(new QubsError({ kind: 'invalid-response', status: 200 }), token).message,
    ).toBe(
      'The server at https://auth.example.org answered, but not as QUBS does. Check that the token URL is right.',
    )
  })
})
