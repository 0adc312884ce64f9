/**
 * The seed data generator: realistic but obviously fake appointments, deterministic for a seed.
 *
 * Each appointment (and each patient) is drawn from its own PRNG seeded by (seed, domain, index), so
 * appointment #17 is the same whether 20 or 50 000 are generated, and the work per appointment is a
 * few dozen PRNG draws — 50 000 generate in well under a second. PDFs are not made here: pdf.ts
 * renders an attachment the first time its content is asked for.
 *
 * Dates and times follow the documented conventions: appointmentDate/startTime/endTime are local to
 * the scheduled site, reportNeededBy and the other date-times are UTC.
 */
import type { Random } from '../common/clock'
import {
  APPOINTMENT_COMMENTS,
  APPOINTMENT_STATUSES,
  ATTACHMENT_KINDS,
  CLINICAL_INFO,
  EXAMS,
  GREEK,
  PATIENT_COMMENTS,
  PENDING_REPORTING,
  PRIORITIES,
  RADIOLOGISTS,
  SITES,
  STAFF,
  type UserRef,
} from './seed-catalogue'

export const MIN_APPOINTMENTS = 10
export const MAX_APPOINTMENTS = 50_000

export interface SeedExamCode {
  readonly examCodeId: number
  readonly key: string
  readonly site: string
  readonly description: string
  readonly category: string
  readonly modality: string
  /** Minutes. */
  readonly totalDuration: number
}

export interface SeedSite {
  readonly domain: string
  readonly siteName: string
  readonly timeZone: string
  readonly state: string
  readonly country: string
  readonly examCodes: readonly SeedExamCode[]
}

export interface SeedAttachment {
  readonly guid: string
  readonly category: string
  readonly fileName: string
  readonly contentType: string
  readonly addedDateTime: string
  readonly addedBy: UserRef
  readonly lastModifiedDateTime: string
  readonly lastModifiedBy: UserRef
  /** False for an attachment whose content is not available yet (its url is null). */
  readonly available: boolean
}

export interface SeedComment {
  readonly guid: string
  readonly commentType: 'AC' | 'AA' | 'PC' | 'PA'
  /** Empty for patient-level comments. */
  readonly appointmentId: string
  readonly patientId: string
  readonly commentText: string
  readonly commentDateTime: string | null
  readonly isAlert: boolean
  readonly commentBy: UserRef
  readonly lastModifiedDateTime: string
}

export interface SeedServiceItem {
  readonly serviceItemId: number
  readonly examCodeId: number
  readonly key: string
  readonly description: string
  readonly modality: string
  readonly quantity: number
}

export interface SeedAppointment {
  readonly domain: string
  readonly appointmentId: string
  readonly status: string
  readonly scheduledSite: string
  readonly appointmentDate: string
  readonly startTime: string
  readonly endTime: string
  readonly patientId: string
  readonly patientName: string
  readonly firstName: string
  readonly lastName: string
  readonly dateOfBirth: string
  readonly gender: string
  readonly modality: string
  readonly studyDescription: string
  readonly clinicalInfo: string
  readonly doctorName: string
  readonly clinicName: string
  readonly priority: string
  readonly reportNeededBy?: string
  readonly studyInstanceUid: string
  readonly radiologistUser?: UserRef
  readonly serviceItems: readonly SeedServiceItem[]
  readonly attachments: readonly SeedAttachment[]
  readonly comments: readonly SeedComment[]
}

export interface SeedDomain {
  readonly domain: string
  readonly sites: readonly SeedSite[]
  /** In storage order: a seeded permutation, so the pending list is not chronological. */
  readonly appointments: readonly SeedAppointment[]
  /** Patient comments and alerts by patientId. */
  readonly patientComments: ReadonlyMap<string, readonly SeedComment[]>
}

export interface GenerateOptions {
  readonly seed: number
  readonly domain: string
  readonly count: number
  /** The generated schedule lies around this instant (the sandbox's start time). */
  readonly anchorMs: number
}

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

export function generateDomain(options: Readonly<GenerateOptions>): SeedDomain {
  const { seed, domain, count } = options
  if (!Number.isInteger(count) || count < MIN_APPOINTMENTS || count > MAX_APPOINTMENTS) {
    throw new RangeError(`appointments must be an integer from ${MIN_APPOINTMENTS} to ${MAX_APPOINTMENTS}`)
  }
  const domainHash = fnv1a(domain)
  const anchorDay = Math.floor(options.anchorMs / DAY_MS) * DAY_MS
  const sites = makeSites(domain)
  const patientComments = new Map<string, SeedComment[]>()
  const appointments: SeedAppointment[] = []
  const patients = new Map<number, Patient>()
  for (let index = 0; index < count; index++) {
    const random = new SeedRandom(mix(seed, domainHash, index))
    // Most appointments are a patient's only one; some are a returning patient's (drawn from earlier
    // indices only, so an appointment's patient does not depend on the total count).
    const returning = random.next() < 0.2 && index > 0
    const patientIndex = returning ? Math.floor(random.next() * index) : index
    let patient = patients.get(patientIndex)
    if (!patient) {
      patient = makePatient(seed, domainHash, patientIndex)
      patients.set(patientIndex, patient)
      patientComments.set(patient.patientId, patient.comments)
    }
    appointments.push(makeAppointment({ random, domain, domainHash, index, anchorDay, sites, patient }))
  }
  shuffle(appointments, new SeedRandom(mix(seed, domainHash, 0x5eed)))
  return { domain, sites, appointments, patientComments }
}

function makeSites(domain: string): SeedSite[] {
  return SITES.map((site, siteIndex) => ({
    domain,
    ...site,
    examCodes: EXAMS.map((exam, examIndex) => ({
      examCodeId: (siteIndex + 1) * 1000 + examIndex + 1,
      key: exam.key,
      site: site.siteName,
      description: exam.description,
      category: exam.category,
      modality: exam.modality,
      totalDuration: exam.minutes,
    })),
  }))
}

interface Patient {
  readonly patientId: string
  readonly firstName: string
  readonly lastName: string
  readonly dateOfBirth: string
  readonly gender: string
  readonly comments: SeedComment[]
}

function makePatient(seed: number, domainHash: number, patientIndex: number): Patient {
  const random = new SeedRandom(mix(seed, domainHash, 0x70000000 + patientIndex))
  const patientId = String(200_001 + patientIndex)
  // "Testpatient Alpha-0001": nobody could take these for real people.
  const lastName = `${GREEK[patientIndex % GREEK.length]}-${String(patientIndex + 1).padStart(4, '0')}`
  const birthDay = Date.UTC(1935, 0, 1) + Math.floor(random.next() * 85 * 365) * DAY_MS
  const comments: SeedComment[] = []
  if (random.next() < 0.15) {
    const isAlert = random.next() < 0.5
    const at = isoSeconds(Date.UTC(2024, 0, 1) + Math.floor(random.next() * 365) * DAY_MS)
    comments.push({
      guid: random.uuid(),
      commentType: isAlert ? 'PA' : 'PC',
      appointmentId: '',
      patientId,
      commentText: pick(random, PATIENT_COMMENTS),
      commentDateTime: at,
      isAlert,
      commentBy: pick(random, STAFF),
      lastModifiedDateTime: at,
    })
  }
  return {
    patientId,
    firstName: 'Testpatient',
    lastName,
    dateOfBirth: isoDate(birthDay),
    gender: pick(random, ['F', 'M', 'F', 'M', 'U'] as const),
    comments,
  }
}

interface AppointmentInput {
  readonly random: Random
  readonly domain: string
  readonly domainHash: number
  readonly index: number
  readonly anchorDay: number
  readonly sites: readonly SeedSite[]
  readonly patient: Patient
}

function makeAppointment(input: AppointmentInput): SeedAppointment {
  const { random, domain, index, patient } = input
  const appointmentId = `A${100_001 + index}`
  const site = pick(random, input.sites)
  const exam = pick(random, site.examCodes)
  const status = random.next() < 0.85 ? PENDING_REPORTING : pickOtherStatus(random)
  // Mostly the last few days, a tail up to two weeks back.
  const daysAgo = random.next() < 0.7 ? Math.floor(random.next() * 3) : 3 + Math.floor(random.next() * 11)
  const localDay = input.anchorDay - daysAgo * DAY_MS
  const startMinutes = 7 * 60 + 15 * Math.floor(random.next() * 44)
  const startUtc = localToUtc(localDay + startMinutes * 60_000, site.timeZone)
  const priority = pickWeighted(random, PRIORITIES)
  const hasDeadline = random.next() < 0.9
  const greek = pick(random, GREEK)
  const radiologist = random.next() < 0.6 ? pick(random, RADIOLOGISTS) : undefined
  const serviceItems: SeedServiceItem[] = [serviceItem(index, 1, exam)]
  if (random.next() < 0.15) serviceItems.push(serviceItem(index, 2, pick(random, site.examCodes)))
  const attachments = makeAttachments(random, startUtc)
  const comments = makeAppointmentComments(random, appointmentId, patient.patientId, startUtc)
  return {
    domain,
    appointmentId,
    status,
    scheduledSite: site.siteName,
    appointmentDate: isoDate(localDay),
    startTime: clockTime(startMinutes),
    endTime: clockTime(startMinutes + exam.totalDuration),
    patientId: patient.patientId,
    patientName: `${patient.firstName} ${patient.lastName}`,
    firstName: patient.firstName,
    lastName: patient.lastName,
    dateOfBirth: patient.dateOfBirth,
    gender: patient.gender,
    modality: exam.modality,
    studyDescription: exam.description,
    clinicalInfo: pick(random, CLINICAL_INFO),
    doctorName: `Dr Referrer ${greek}`,
    clinicName: `${greek} Sandbox Medical Centre`,
    priority: priority.priority,
    ...(hasDeadline ? { reportNeededBy: isoSeconds(startUtc + priority.turnaroundHours * HOUR_MS) } : {}),
    studyInstanceUid: `1.2.826.0.1.3680043.10.9999.${input.domainHash % 1000}.${index + 1}`,
    ...(radiologist ? { radiologistUser: radiologist } : {}),
    serviceItems,
    attachments,
    comments,
  }
}

function serviceItem(index: number, n: number, exam: SeedExamCode): SeedServiceItem {
  return {
    serviceItemId: (index + 1) * 10 + n,
    examCodeId: exam.examCodeId,
    key: exam.key,
    description: exam.description,
    modality: exam.modality,
    quantity: 1,
  }
}

function makeAttachments(random: Random, startUtc: number): SeedAttachment[] {
  const count = 1 + Math.floor(random.next() * 3)
  const attachments: SeedAttachment[] = []
  for (let i = 0; i < count; i++) {
    // The referral always comes first; the others are drawn from the rest.
    const kind = i === 0 ? ATTACHMENT_KINDS[0] : pick(random, ATTACHMENT_KINDS.slice(1))
    const added = startUtc - Math.floor(random.next() * 48) * HOUR_MS
    const by = pick(random, STAFF)
    attachments.push({
      guid: random.uuid(),
      category: kind.category,
      fileName: kind.fileName,
      contentType: 'application/pdf',
      addedDateTime: isoSeconds(added),
      addedBy: by,
      lastModifiedDateTime: isoSeconds(added),
      lastModifiedBy: by,
      available: random.next() >= 0.03,
    })
  }
  return attachments
}

function makeAppointmentComments(
  random: Random,
  appointmentId: string,
  patientId: string,
  startUtc: number,
): SeedComment[] {
  const count = Math.floor(random.next() * 3)
  const comments: SeedComment[] = []
  for (let i = 0; i < count; i++) {
    const isAlert = random.next() < 0.25
    const at = startUtc - Math.floor(random.next() * 72) * HOUR_MS
    const known = random.next() >= 0.1
    comments.push({
      guid: random.uuid(),
      commentType: isAlert ? 'AA' : 'AC',
      appointmentId,
      patientId,
      commentText: pick(random, APPOINTMENT_COMMENTS),
      commentDateTime: known ? isoSeconds(at) : null,
      isAlert,
      commentBy: pick(random, STAFF),
      lastModifiedDateTime: isoSeconds(at),
    })
  }
  return comments
}

const OTHER_STATUSES = APPOINTMENT_STATUSES.filter((s) => s !== PENDING_REPORTING)

function pickOtherStatus(random: Random): string {
  return pick(random, OTHER_STATUSES)
}

/**
 * mulberry32, as seededRandom in common/clock.ts, as a class with a cheaper uuid(): the generator
 * makes one per appointment, and 50 000 closures-plus-strings per run showed up in profiles.
 */
export class SeedRandom implements Random {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** A UUID v4 string drawn from the generator (deterministic, not for secrets). */
  uuid(): string {
    const word = () =>
      Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, '0')
    const a = word()
    const b = word()
    const c = word()
    const d = word()
    const variant = '89ab'[Math.floor(this.next() * 4)] ?? '8'
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(0, 3)}-${c.slice(3, 8)}${d.slice(0, 7)}`
  }
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random.next() * items.length)]
  if (item === undefined) throw new RangeError('pick from an empty list')
  return item
}

function pickWeighted<T extends { readonly weight: number }>(random: Random, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0)
  let roll = random.next() * total
  for (const item of items) {
    roll -= item.weight
    if (roll < 0) return item
  }
  return items[items.length - 1] as T
}

function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1))
    const held = items[i] as T
    items[i] = items[j] as T
    items[j] = held
  }
}

/** FNV-1a: a stable 32-bit hash of the domain name, to give each domain its own data. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** Mixes a few integers into one 32-bit PRNG seed (murmur3 finaliser over each). */
export function mix(...values: number[]): number {
  let hash = 0x9e3779b9
  for (const value of values) {
    let k = Math.imul(value >>> 0, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    hash ^= Math.imul(k, 0x1b873593)
    hash = Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  return (hash ^ (hash >>> 16)) >>> 0
}

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const clockTime = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`

const formatters = new Map<string, Intl.DateTimeFormat>()
const offsets = new Map<string, number>()

/** The zone's UTC offset (ms) at an instant, from Intl: no time-zone database of our own. */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value)
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  )
  return wall - Math.floor(utcMs / 60_000) * 60_000
}

/** A wall-clock time at the site (expressed as if it were UTC) to the real UTC instant. */
function localToUtc(localMs: number, timeZone: string): number {
  // Appointments are between 07:00 and 19:00, far from DST switches: the day's offset at noon will do.
  const day = Math.floor(localMs / DAY_MS) * DAY_MS
  const cacheKey = `${timeZone}@${day}`
  let offset = offsets.get(cacheKey)
  if (offset === undefined) {
    offset = zoneOffsetMs(timeZone, day + 12 * HOUR_MS)
    offsets.set(cacheKey, offset)
  }
  return localMs - offset
}
