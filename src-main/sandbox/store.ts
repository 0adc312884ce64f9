/**
 * The sandbox's in-memory state: the seeded appointments plus everything partners changed (statuses
 * set by admin, comments, reports, report attachments and their uploaded bytes). Appointments are
 * kept in storage order (a seeded permutation) with an index by id, so a page of the pending list is
 * a scan from a position, and a full walk over 50 000 appointments is linear.
 */
import {
  type SeedAppointment,
  type SeedAttachment,
  type SeedComment,
  type SeedDomain,
  type SeedSite,
} from './seed'
import { APPOINTMENT_STATUSES, PENDING_REPORTING, type UserRef } from './seed-catalogue'
import { notFound, quoteId } from './problem'

export type CommentRecord = SeedComment

export interface ReportRecord {
  readonly reportGuid: string
  readonly reportStatus: 'preliminary' | 'final'
  readonly reportedAtUtc: string
  readonly reportFormat: string
  readonly submittedAtUtc: string
  /** UTF-8 size of the text; the text itself is kept apart so views never carry it by accident. */
  readonly reportTextBytes: number
  /** How many submissions took effect for this appointment (overwrites included). */
  readonly submissions: number
}

export interface ReportAttachmentRecord {
  readonly guid: string
  readonly fileName: string
  readonly category: string
  /** The declared contentType, or null when none was given. */
  readonly declaredContentType: string | null
  readonly addedDateTime: string
  readonly addedBy: UserRef
  readonly uploadUrlExpiresAtMs: number
  upload: {
    readonly bytes: Uint8Array
    readonly sha256: string
    readonly contentType: string
    readonly at: string
  } | null
}

export class AppointmentState {
  readonly seed: SeedAppointment
  status: string
  readonly comments: CommentRecord[]
  report: ReportRecord | null = null
  /** Latest report text per appointment, for admins who need to look (never put into views or logs). */
  reportText: string | null = null
  readonly reportAttachments: ReportAttachmentRecord[] = []

  constructor(seed: SeedAppointment) {
    this.seed = seed
    this.status = seed.status
    this.comments = [...seed.comments]
  }

  get id(): string {
    return this.seed.appointmentId
  }

  get isPending(): boolean {
    return this.status === PENDING_REPORTING
  }

  seedAttachment(guid: string): SeedAttachment | undefined {
    return this.seed.attachments.find((a) => a.guid === guid)
  }

  reportAttachment(guid: string): ReportAttachmentRecord | undefined {
    return this.reportAttachments.find((a) => a.guid === guid)
  }
}

export class DomainState {
  readonly name: string
  readonly sites: readonly SeedSite[]
  readonly appointments: readonly AppointmentState[]
  readonly #byId = new Map<string, AppointmentState>()
  readonly #patientComments = new Map<string, CommentRecord[]>()

  constructor(seed: SeedDomain) {
    this.name = seed.domain
    this.sites = seed.sites
    this.appointments = seed.appointments.map((a) => new AppointmentState(a))
    for (const appointment of this.appointments) this.#byId.set(appointment.id, appointment)
    for (const [patientId, comments] of seed.patientComments)
      this.#patientComments.set(patientId, [...comments])
  }

  appointment(id: string): AppointmentState | undefined {
    return this.#byId.get(id)
  }

  site(siteName: string): SeedSite | undefined {
    return this.sites.find((s) => s.siteName === siteName)
  }

  patientComments(patientId: string): CommentRecord[] {
    let comments = this.#patientComments.get(patientId)
    if (!comments) {
      comments = []
      this.#patientComments.set(patientId, comments)
    }
    return comments
  }

  /** Appointment comments plus the patient's comments, as the comments endpoints show them. */
  commentsFor(appointment: AppointmentState): CommentRecord[] {
    return [...appointment.comments, ...(this.#patientComments.get(appointment.seed.patientId) ?? [])]
  }

  /** Pending appointments from storage position `start`, up to `pageSize`; next position or null. */
  pendingPage(start: number, pageSize: number): { items: AppointmentState[]; next: number | null } {
    const items: AppointmentState[] = []
    let position = start
    while (position < this.appointments.length && items.length < pageSize) {
      const appointment = this.appointments[position] as AppointmentState
      if (appointment.isPending) items.push(appointment)
      position++
    }
    // Look ahead to the next pending one, so the last page says so instead of leading to an empty one.
    while (
      position < this.appointments.length &&
      !(this.appointments[position] as AppointmentState).isPending
    ) {
      position++
    }
    return { items, next: position < this.appointments.length ? position : null }
  }
}

export class SandboxStore {
  readonly #domains = new Map<string, DomainState>()

  constructor(domains: readonly SeedDomain[]) {
    for (const domain of domains) this.#domains.set(domain.domain, new DomainState(domain))
  }

  domain(name: string): DomainState {
    const domain = this.#domains.get(name)
    if (!domain) throw notFound(`Unknown domain ${quoteId(name)}.`)
    return domain
  }

  /**
   * The appointment when it is PENDING REPORTING; 404 otherwise. The reporting endpoints serve
   * nothing else, and do not say whether the appointment exists in another status.
   */
  pendingAppointment(
    domainName: string,
    appointmentId: string,
  ): { domain: DomainState; appointment: AppointmentState } {
    const domain = this.domain(domainName)
    const appointment = domain.appointment(appointmentId)
    if (!appointment?.isPending) {
      throw notFound(
        `No appointment ${quoteId(appointmentId)} pending reporting in domain ${quoteId(domainName)}.`,
      )
    }
    return { domain, appointment }
  }

  setStatus(domainName: string, appointmentId: string, status: string): void {
    if (!(APPOINTMENT_STATUSES as readonly string[]).includes(status)) {
      throw new RangeError('unknown appointment status')
    }
    const appointment = this.domain(domainName).appointment(appointmentId)
    if (!appointment)
      throw notFound(`No appointment ${quoteId(appointmentId)} in domain ${quoteId(domainName)}.`)
    appointment.status = status
  }

  /** The text of the last report stored for the appointment, or null (tests compare it exactly). */
  reportText(domainName: string, appointmentId: string): string | null {
    return this.domain(domainName).appointment(appointmentId)?.reportText ?? null
  }

  pendingIds(domainName: string, limit: number): string[] {
    const ids: string[] = []
    for (const appointment of this.domain(domainName).appointments) {
      if (ids.length >= limit) break
      if (appointment.isPending) ids.push(appointment.id)
    }
    return ids
  }
}
