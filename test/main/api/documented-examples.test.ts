import { describe, expect, it } from 'vitest'
import {
  AppointmentSchema,
  AttachmentListSchema,
  AttachmentSchema,
  CommentListSchema,
  CommentSchema,
  PendingPageSchema,
  ReportAttachmentUrlsSchema,
  ReportReceiptSchema,
} from '../../../src-main/core/api'

/**
 * The client's response schemas against the example bodies of the QUBS reference (shared/api), field
 * for field — only the people's names are swapped for the project's obviously fake ones. The sandbox is
 * our own reading of the documents; these are the documents themselves, including the sparse pending
 * item that carries seven fields only.
 */
const PERSON = {
  username: 'tuser',
  firstName: 'Test',
  initials: 'TU',
  lastName: 'User-0001',
  role: 'Radiologist',
}

describe('documented example bodies', () => {
  it('pending list page (sparse items, opaque nextToken)', () => {
    const page = PendingPageSchema.parse({
      items: [
        {
          domain: 'acme',
          appointmentId: 'A123456',
          status: 'PENDING REPORTING',
          scheduledSite: 'Central Clinic',
          appointmentDate: '2025-01-12',
          startTime: '13:45:00',
          patientName: 'Testpatient Example-0001',
        },
      ],
      nextToken: 'DDB_NEXT_TOKEN',
    })
    expect(page.items[0]).toMatchObject({ appointmentId: 'A123456', startTime: '13:45:00' })
    expect(page.nextToken).toBe('DDB_NEXT_TOKEN')
  })

  it('appointment view, keeping fields the client does not know', () => {
    const appointment = AppointmentSchema.parse({
      domain: 'acme',
      appointmentId: 'A123456',
      status: 'PENDING REPORTING',
      scheduledSite: 'Central Clinic',
      appointmentDate: '2025-01-12',
      startTime: '13:45:00',
      endTime: '14:15:00',
      patientId: '220000',
      patientName: 'Testpatient Example-0001',
      firstName: 'Testpatient',
      lastName: 'Example-0001',
      dateOfBirth: '1988-03-03',
      gender: 'F',
      modality: 'CT',
      studyDescription: 'CT Chest',
      clinicalInfo: 'Shortness of breath',
      doctorName: 'Dr Referrer Test',
      clinicName: 'Example Clinic',
      priority: 'Routine',
      reportNeededBy: '2025-01-13T02:00:00Z',
      studyInstanceUid: '1.2.3.4.5',
      radiologistUser: PERSON,
      serviceItems: [{ code: 'X1', undocumented: true }],
      somethingNew: { kept: true },
    })
    expect(appointment).toMatchObject({
      reportNeededBy: '2025-01-13T02:00:00Z',
      somethingNew: { kept: true },
    })
  })

  it('attachments, with and without a presigned URL', () => {
    const attachment = {
      guid: '989dd0c7-13bb-4bba-b7a0-53a28bdf5155',
      category: 'Referral',
      fileName: 'referral.pdf',
      addedDateTime: '2025-01-10T01:02:03Z',
      addedBy: PERSON,
      lastModifiedDateTime: '2025-01-10T01:02:03Z',
      url: 'https://example.com/attachments/referral.pdf',
      urlExpiresAtUtc: '2025-01-10T01:17:03Z',
    }
    expect(AttachmentSchema.parse(attachment).url).toBe(attachment.url)
    expect(
      AttachmentListSchema.parse([{ ...attachment, url: null, urlExpiresAtUtc: null }])[0]?.url,
    ).toBeNull()
  })

  it('comments, appointment-level and patient-level (empty appointmentId)', () => {
    const comment = {
      guid: 'ed6ef45a-4e3d-41b2-8049-7aec53bb9ab1',
      commentType: 'AC',
      appointmentId: 'A123456',
      patientId: '220000',
      commentText: 'Patient requires wheelchair access.',
      commentDateTime: '2025-01-10T02:03:04Z',
      isAlert: false,
      commentBy: PERSON,
      lastModifiedDateTime: '2025-01-10T02:03:04Z',
    }
    expect(
      CommentListSchema.parse([comment, { ...comment, commentType: 'PA', appointmentId: '' }]),
    ).toHaveLength(2)
    expect(CommentSchema.parse({ ...comment, commentType: 'AA', isAlert: true }).isAlert).toBe(true)
  })

  it('report receipt and report attachment upload URLs', () => {
    expect(
      ReportReceiptSchema.parse({
        reportGuid: '4b7f0a91-b4f5-4f2a-9a21-23456789abcd',
        reportStatus: 'preliminary',
        reportedAtUtc: '2025-01-10T03:04:05Z',
      }).reportGuid,
    ).toBe('4b7f0a91-b4f5-4f2a-9a21-23456789abcd')
    const urls = ReportAttachmentUrlsSchema.parse({
      items: [
        {
          guid: '989dd0c7-13bb-4bba-b7a0-53a28bdf5155',
          fileName: 'report.pdf',
          category: 'report',
          uploadUrl: 'https://example.com/upload/report.pdf',
          uploadUrlExpiresAtUtc: '2025-01-10T03:19:05Z',
        },
      ],
    })
    expect(urls.items[0]?.uploadUrl).toBe('https://example.com/upload/report.pdf')
  })
})
