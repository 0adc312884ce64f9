import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { api, getToken, reporting, sandboxForFile } from './helpers'

const sandbox = await sandboxForFile({ appointments: 40 })
const token = await getToken(sandbox)
const ids = sandbox.admin.pendingAppointmentIds('demo', 10)

const submit = (id: string, json: unknown, headers: Record<string, string> = {}) =>
  api<Record<string, unknown>>(sandbox, token, reporting('demo', `/${id}/report`), { json, headers })

describe('report submission', () => {
  it('stores a report and answers with its guid, status and reportedAtUtc', async () => {
    const response = await submit(ids[0] as string, {
      reportText: 'No acute abnormality detected.',
      reportStatus: 'preliminary',
      reportFormat: 'text/plain',
      interpretingClinicianName: 'Dr Sandbox',
      interpretingClinicianProviderNumber: '1234567A',
      interpretingClinicianEmail: 'dr.sandbox@example.invalid',
      reportedAtUtc: '2025-01-10T03:04:05Z',
    })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      reportStatus: 'preliminary',
      reportedAtUtc: '2025-01-10T03:04:05Z',
    })
    expect(response.body.reportGuid).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('accepts reportStatus in any letter case and answers it in lower case', async () => {
    for (const status of ['FINAL', 'Preliminary', 'fInAl']) {
      const response = await submit(ids[1] as string, { reportText: 'Text.', reportStatus: status })
      expect(response.status, status).toBe(200)
      expect(response.body.reportStatus).toBe(status.toLowerCase())
    }
    expect((await submit(ids[1] as string, { reportText: 'Text.', reportStatus: 'draft' })).status).toBe(400)
  })

  it('overwrites: a preliminary then a final, the appointment view shows the current report status', async () => {
    const id = ids[2] as string
    const view = () =>
      api<{ report: { reportStatus: string; reportGuid: string; submissions: number } | null }>(
        sandbox,
        token,
        reporting('demo', `/${id}`),
      )
    expect((await view()).body.report).toBeNull()
    const preliminary = await submit(id, { reportText: 'Preliminary.', reportStatus: 'preliminary' })
    expect((await view()).body.report).toMatchObject({
      reportStatus: 'preliminary',
      reportGuid: preliminary.body.reportGuid,
      submissions: 1,
    })
    const final = await submit(id, { reportText: 'Final.', reportStatus: 'final' })
    expect((await view()).body.report).toMatchObject({
      reportStatus: 'final',
      reportGuid: final.body.reportGuid,
      submissions: 2,
    })
    const effects = sandbox.admin.effects().filter((e) => e.appointmentId === id)
    expect(effects.map((e) => e.reportStatus)).toEqual(['preliminary', 'final'])
  })

  it('accepts exactly 2 097 152 UTF-8 bytes and rejects one more, counting bytes not characters', async () => {
    const id = ids[3] as string
    const limit = 2_097_152
    expect((await submit(id, { reportText: 'a'.repeat(limit), reportStatus: 'final' })).status).toBe(200)
    const over = await submit(id, { reportText: 'a'.repeat(limit + 1), reportStatus: 'final' })
    expect(over.status).toBe(400)
    expect((over.body as { errors: Record<string, string[]> }).errors.reportText).toBeDefined()
    // 'é' is two bytes in UTF-8: half the limit in characters is already at the limit in bytes.
    expect((await submit(id, { reportText: 'é'.repeat(limit / 2), reportStatus: 'final' })).status).toBe(200)
    expect(
      (await submit(id, { reportText: `${'é'.repeat(limit / 2)}a`, reportStatus: 'final' })).status,
    ).toBe(400)
  })

  it('judges the limit on reportText, not on the HTTP body: 2 MiB of control characters (6 bytes each in JSON) fit', async () => {
    const id = ids[7] as string
    const limit = 2_097_152
    const response = await submit(id, { reportText: '\u0001'.repeat(limit), reportStatus: 'final' })
    expect(response.status).toBe(200)
    const over = await submit(id, { reportText: '\u0001'.repeat(limit + 1), reportStatus: 'final' })
    expect(over.status).toBe(400)
  })

  it('sets no limit of its own on the provider number, which the reference does not bound', async () => {
    const response = await submit(ids[8] as string, {
      reportText: 'Text.',
      reportStatus: 'final',
      interpretingClinicianProviderNumber: '1'.repeat(255),
    })
    expect(response.status).toBe(200)
  })

  it('rejects missing or empty text, bad JSON and non-JSON bodies without echoing the text', async () => {
    const id = ids[4] as string
    expect((await submit(id, { reportStatus: 'final' })).status).toBe(400)
    expect((await submit(id, { reportText: '', reportStatus: 'final' })).status).toBe(400)
    const badJson = await api(sandbox, token, reporting('demo', `/${id}/report`), {
      rawBody: '{"reportText": "Testpatient has a secret finding", ',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(badJson.status).toBe(400)
    expect(JSON.stringify(badJson.body)).not.toContain('secret finding')
    const text = await api(sandbox, token, reporting('demo', `/${id}/report`), {
      rawBody: 'reportText=x',
      headers: { 'Content-Type': 'text/plain' },
    })
    expect(text.status).toBe(415)
    const invalid = await submit(id, { reportText: 'Testpatient secret finding', reportStatus: 'signed' })
    expect(JSON.stringify(invalid.body)).not.toContain('secret finding')
  })

  it('records each effect with the sha256 of the body bytes as received', async () => {
    const id = ids[5] as string
    const body = JSON.stringify({ reportText: 'Hash me.', reportStatus: 'final' })
    await api(sandbox, token, reporting('demo', `/${id}/report`), {
      rawBody: body,
      headers: { 'Content-Type': 'application/json' },
    })
    const effect = sandbox.admin.effects().find((e) => e.appointmentId === id)
    expect(effect?.payloadSha256).toBe(createHash('sha256').update(body).digest('hex'))
  })

  it('makes a new submission for every POST without a key (duplicates possible, as documented)', async () => {
    const id = ids[6] as string
    const json = { reportText: 'Same.', reportStatus: 'final' }
    const first = await submit(id, json)
    const second = await submit(id, json)
    expect(first.body.reportGuid).not.toBe(second.body.reportGuid)
    expect(sandbox.admin.effects().filter((e) => e.appointmentId === id)).toHaveLength(2)
  })
})
