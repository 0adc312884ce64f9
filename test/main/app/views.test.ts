import { describe, expect, it } from 'vitest'
import { AppointmentSchema, AttachmentSchema, CommentSchema } from '../../../src-main/core/api'
import { toAppointmentView, toAttachmentView, toCommentView } from '../../../src-main/core/app/views'
import { resolveContentType } from '../../../src-main/core/app/content-type'
import { AppointmentViewSchema, AttachmentViewSchema, CommentViewSchema } from '../../../src-preload/contract'

/** Lenient wire shapes to strict contract views: nothing lost, nothing extra leaked. */
describe('view mappers', () => {
  it('puts fields QUBS adds into extra, and null for documented fields it left out', () => {
    const wire = AppointmentSchema.parse({
      appointmentId: 'A1',
      patientName: 'Testpatient Alpha',
      radiologistUser: { username: 'dr.x', pager: '123' },
      serviceItems: [{ code: 'XR1', qty: 1 }],
      referralPriorityCode: 'P2',
      nested: { a: [1, 'b', null] },
    })
    const view = AppointmentViewSchema.parse(toAppointmentView({ ...wire, domain: 'acme' }))
    expect(view.extra).toEqual({ referralPriorityCode: 'P2', nested: { a: [1, 'b', null] } })
    expect(view.radiologistUser).toEqual({
      username: 'dr.x',
      firstName: null,
      lastName: null,
      initials: null,
      role: null,
      extra: { pager: '123' },
    })
    expect(view.serviceItems).toEqual([{ code: 'XR1', qty: 1 }])
    expect(view.dateOfBirth).toBeNull()
    expect(view.clinicalInfo).toBeNull()
  })

  it('never passes the presigned URL of an attachment on', () => {
    const wire = AttachmentSchema.parse({
      guid: 'g1',
      fileName: 'referral.pdf',
      url: 'https://storage.example/x?sig=secret',
      urlExpiresAtUtc: '2026-01-01T00:00:00Z',
      pages: 3,
    })
    const view = AttachmentViewSchema.parse(toAttachmentView(wire))
    expect(JSON.stringify(view)).not.toContain('storage.example')
    expect(view.extra).toEqual({ pages: 3 })
  })

  it('derives isAlert from the comment type when QUBS leaves the flag out; unknown types become null', () => {
    const alert = CommentViewSchema.parse(
      toCommentView(CommentSchema.parse({ guid: 'c1', commentType: 'PA' })),
    )
    expect(alert).toMatchObject({ commentType: 'PA', isAlert: true })
    const odd = CommentViewSchema.parse(toCommentView(CommentSchema.parse({ guid: 'c2', commentType: 'ZZ' })))
    expect(odd).toMatchObject({ commentType: null, isAlert: false })
  })
})

describe('attachment content type', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7\n...')
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])

  it('sniffs the bytes when the storage says octet-stream', () => {
    expect(resolveContentType('application/octet-stream', pdf)).toBe('application/pdf')
    expect(resolveContentType(undefined, png)).toBe('image/png')
  })

  it('does not believe a header that claims a rendered type for other bytes', () => {
    const html = new TextEncoder().encode('<html><script>alert(1)</script>')
    expect(resolveContentType('application/pdf', html)).toBe('application/octet-stream')
    expect(resolveContentType('image/svg+xml', html)).toBe('application/octet-stream')
  })

  it('keeps a plain header type for bytes it cannot identify', () => {
    expect(resolveContentType('text/plain; charset=utf-8', new TextEncoder().encode('hello'))).toBe(
      'text/plain',
    )
  })
})
