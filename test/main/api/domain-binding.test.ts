import { afterEach, describe, expect, it } from 'vitest'
import type { QubsClient } from '../../../src-main/core/api'
import { API, qubsFailure, sendJson, startTestApi, type TestApi } from './support'

/**
 * Items are bound to the domain that was queried: an item that names another domain is a protocol
 * error naming the requestId and the correlation id (and no patient data), never re-homed into the
 * other domain or merged with it.
 */
let api: TestApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

const PATIENT = 'Testpatient Foreign'
const appointment = (domain: string | undefined, appointmentId = 'A1') => ({
  ...(domain === undefined ? {} : { domain }),
  appointmentId,
  status: 'PENDING REPORTING',
  patientName: PATIENT,
})
const comment = (domain?: string) => ({
  ...(domain === undefined ? {} : { domain }),
  guid: 'c-1',
  commentType: 'AC',
  commentText: 'Secret comment text.',
})

async function serving(body: unknown): Promise<QubsClient> {
  api = await startTestApi((_request, response) =>
    sendJson(response, 200, body, { 'x-request-id': 'req-foreign-1' }),
  )
  return api.client()
}

async function expectForeign(call: Promise<unknown>): Promise<void> {
  const error = await qubsFailure(call)
  expect(error).toMatchObject({ kind: 'invalid-response', requestId: 'req-foreign-1' })
  expect(error.title).toMatch(/another domain/)
  expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/)
  expect(error.message).toContain('req-foreign-1')
  expect(error.message).toContain(error.correlationId)
  const everything = JSON.stringify(api?.log) + error.message
  expect(everything).not.toContain(PATIENT)
  expect(everything).not.toContain('Secret comment')
}

describe('items bound to the queried domain', () => {
  it('a pending page with an item of another domain is refused', async () => {
    const client = await serving({ items: [appointment('acme', 'A1'), appointment('beta', 'A2')] })
    await expectForeign(client.listPendingPage('acme'))
  })

  it('the walk refuses it too instead of filing the item under the other domain', async () => {
    const client = await serving({ items: [appointment('beta', 'A2')] })
    await expectForeign(client.walkPending({ domains: ['acme'] }))
  })

  it('an appointment view of another domain is refused', async () => {
    const client = await serving(appointment('beta'))
    await expectForeign(client.getAppointment('acme', 'A1'))
  })

  it('an appointment view of another appointment than the one asked for is refused (wrong patient)', async () => {
    const client = await serving(appointment('acme', 'A2'))
    const error = await qubsFailure(client.getAppointment('acme', 'A1'))
    expect(error).toMatchObject({ kind: 'invalid-response', requestId: 'req-foreign-1' })
    expect(error.title).toMatch(/another appointment/)
    expect(JSON.stringify(api?.log) + error.message).not.toContain(PATIENT)
  })

  it('a comment list, a comment and a created comment of another domain are refused', async () => {
    let client = await serving([comment(), comment('beta')])
    await expectForeign(client.listComments('acme', 'A1'))
    await api?.close()
    client = await serving(comment('beta'))
    await expectForeign(client.getComment('acme', 'A1', 'c-1'))
    await expectForeign(
      client.createComment('acme', 'A1', { commentText: 'Note.' }, { idempotencyKey: 'key-1' }),
    )
  })

  it('items that name the queried domain, or none, are kept and carry the queried domain', async () => {
    const client = await serving({ items: [appointment('acme', 'A1'), appointment(undefined, 'A2')] })
    const page = await client.listPendingPage('acme')
    expect(page.items.map((item) => item.domain)).toEqual(['acme', 'acme'])
    expect(api?.apiRequests()[0]?.path).toBe(`${API}/acme/reporting/appointments/pending`)
  })
})
