import { describe, expect, it } from 'vitest'
import { api, getToken, reporting, sandboxForFile } from './helpers'

const sandbox = await sandboxForFile({ appointments: 60 })
const token = await getToken(sandbox)
const ids = sandbox.admin.pendingAppointmentIds('demo', 20)

interface Comment {
  guid: string
  commentType: string
  appointmentId: string
  patientId: string
  commentText: string
  isAlert: boolean
  commentDateTime: string | null
}

const create = (id: string, json: unknown) =>
  api<Comment>(sandbox, token, reporting('demo', `/${id}/comments`), { json })

describe('comments', () => {
  it('lists appointment comments together with the patient comments', async () => {
    let sawPatientLevel = false
    for (const id of ids) {
      const list = await api<Comment[]>(sandbox, token, reporting('demo', `/${id}/comments`))
      expect(list.status).toBe(200)
      for (const comment of list.body) {
        expect(['AC', 'AA', 'PC', 'PA']).toContain(comment.commentType)
        if (comment.commentType === 'PC' || comment.commentType === 'PA') {
          expect(comment.appointmentId).toBe('')
          sawPatientLevel = true
        } else {
          expect(comment.appointmentId).toBe(id)
        }
      }
    }
    const created = await create(ids[0] as string, { commentText: 'Patient-level note.', commentType: 'PC' })
    expect(created.status).toBe(201)
    expect(created.body.appointmentId).toBe('')
    const list = await api<Comment[]>(sandbox, token, reporting('demo', `/${ids[0]}/comments`))
    expect(list.body.map((c) => c.guid)).toContain(created.body.guid)
    expect(sawPatientLevel || list.body.some((c) => c.commentType === 'PC')).toBe(true)
  })

  it('applies the default type rule: AA when isAlert is true, otherwise AC', async () => {
    const id = ids[1] as string
    expect((await create(id, { commentText: 'Alert.', isAlert: true })).body).toMatchObject({
      commentType: 'AA',
      isAlert: true,
    })
    expect((await create(id, { commentText: 'Note.', isAlert: false })).body).toMatchObject({
      commentType: 'AC',
      isAlert: false,
    })
    expect((await create(id, { commentText: 'Note.' })).body).toMatchObject({
      commentType: 'AC',
      isAlert: false,
    })
    expect((await create(id, { commentText: 'Explicit.', commentType: 'PA' })).body).toMatchObject({
      commentType: 'PA',
      isAlert: true,
    })
  })

  it('creates a comment with 201, keeps its commentDateTime, and gets it back by guid', async () => {
    const id = ids[2] as string
    const created = await create(id, {
      commentText: 'Please prioritise.',
      commentType: 'AA',
      isAlert: true,
      commentDateTime: '2025-01-10T02:03:04Z',
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      commentType: 'AA',
      appointmentId: id,
      commentText: 'Please prioritise.',
      commentDateTime: '2025-01-10T02:03:04Z',
    })
    const fetched = await api<Comment>(
      sandbox,
      token,
      reporting('demo', `/${id}/comments/${created.body.guid}`),
    )
    expect(fetched.status).toBe(200)
    expect(fetched.body).toEqual(created.body)
    expect(
      (await api(sandbox, token, reporting('demo', `/${ids[3]}/comments/${created.body.guid}`))).status,
    ).toBe(404)
  })

  it('rejects blank text, unknown types and wrong field types with a validation problem that does not echo the text', async () => {
    const id = ids[4] as string
    for (const body of [
      { commentText: '   ' },
      {},
      { commentText: 'Fine.', commentType: 'XX' },
      { commentText: 'Fine.', isAlert: 'yes' },
    ]) {
      const response = await create(id, body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      expect(Object.keys((response.body as unknown as { errors: object }).errors).length).toBeGreaterThan(0)
    }
    const leaky = await create(id, { commentText: 'Testpatient secret remark', commentType: 'ZZ' })
    expect(JSON.stringify(leaky.body)).not.toContain('secret remark')
  })

  it('creates a new comment for each POST without an Idempotency-Key (duplicates, as documented)', async () => {
    const id = ids[5] as string
    const before = sandbox.admin.effects().length
    const first = await create(id, { commentText: 'Twice.' })
    const second = await create(id, { commentText: 'Twice.' })
    expect(first.body.guid).not.toBe(second.body.guid)
    const effects = sandbox.admin.effects().slice(before)
    expect(effects.map((e) => [e.kind, e.idempotencyKey])).toEqual([
      ['comment', null],
      ['comment', null],
    ])
  })
})
