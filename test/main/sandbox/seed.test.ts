import { describe, expect, it } from 'vitest'
import { APPOINTMENT_STATUSES } from '../../../src-main/sandbox/seed-catalogue'
import { generateDomain, zoneOffsetMs } from '../../../src-main/sandbox/seed'
import { DomainState } from '../../../src-main/sandbox/store'

const ANCHOR = Date.UTC(2026, 0, 15, 3, 0, 0)
const generate = (count: number, seed = 1, domain = 'demo') =>
  generateDomain({ seed, domain, count, anchorMs: ANCHOR })

describe('seed generator', () => {
  it('is deterministic for a seed, different for another seed or domain', () => {
    expect(generate(200)).toEqual(generate(200))
    expect(generate(200, 2).appointments).not.toEqual(generate(200).appointments)
    expect(generate(200, 1, 'acme').appointments[0]).not.toEqual(generate(200).appointments[0])
  })

  it('gives an appointment the same data whatever the total count', () => {
    const small = new Map(generate(20).appointments.map((a) => [a.appointmentId, a]))
    const large = new Map(generate(2000).appointments.map((a) => [a.appointmentId, a]))
    for (const [id, appointment] of small) expect(large.get(id)).toEqual(appointment)
  })

  it('accepts 10 to 50 000 appointments', () => {
    expect(() => generate(9)).toThrow(RangeError)
    expect(() => generate(50_001)).toThrow(RangeError)
    expect(generate(10).appointments).toHaveLength(10)
  })

  it('uses obviously fake names, mostly PENDING REPORTING with some other statuses', () => {
    const { appointments } = generate(2000)
    for (const a of appointments) {
      expect(a.patientName).toMatch(/^Testpatient [A-Z][a-z]+-\d{4,}$/)
      expect(a.patientName).toBe(`${a.firstName} ${a.lastName}`)
      expect(APPOINTMENT_STATUSES).toContain(a.status)
      expect(a.doctorName).toMatch(/^Dr Referrer /)
    }
    const pending = appointments.filter((a) => a.status === 'PENDING REPORTING').length
    expect(pending / appointments.length).toBeGreaterThan(0.75)
    expect(pending / appointments.length).toBeLessThan(0.95)
    expect(new Set(appointments.map((a) => a.status)).size).toBeGreaterThan(5)
  })

  it('varies modalities, priorities, deadlines, sites in several time zones, comments and attachments', () => {
    const domain = generate(2000)
    const { appointments } = domain
    expect(new Set(appointments.map((a) => a.modality))).toEqual(
      new Set(['CT', 'MR', 'US', 'DX', 'MG', 'NM']),
    )
    expect(new Set(appointments.map((a) => a.priority))).toEqual(
      new Set(['Routine', 'Semi-urgent', 'Urgent', 'STAT']),
    )
    expect(new Set(domain.sites.map((s) => s.timeZone))).toEqual(
      new Set([
        'Australia/Sydney',
        'Australia/Perth',
        'Pacific/Auckland',
        'Australia/Brisbane',
        'Australia/Adelaide',
        'Australia/Darwin',
      ]),
    )
    const withDeadline = appointments.filter((a) => a.reportNeededBy !== undefined)
    expect(withDeadline.length / appointments.length).toBeGreaterThan(0.8)
    expect(withDeadline.length).toBeLessThan(appointments.length)
    expect(withDeadline.some((a) => Date.parse(a.reportNeededBy ?? '') < ANCHOR)).toBe(true)
    expect(withDeadline.some((a) => Date.parse(a.reportNeededBy ?? '') > ANCHOR)).toBe(true)
    expect(appointments.some((a) => a.comments.length > 0)).toBe(true)
    expect([...domain.patientComments.values()].some((c) => c.length > 0)).toBe(true)
    expect(appointments.every((a) => a.attachments[0]?.category === 'Referral')).toBe(true)
    expect(appointments.some((a) => a.attachments.some((x) => !x.available))).toBe(true)
  })

  it('puts local dates and times at the site and the UTC deadline after the local start', () => {
    const domain = generate(500)
    const zones = new Map(domain.sites.map((s) => [s.siteName, s.timeZone]))
    for (const a of domain.appointments) {
      expect(a.appointmentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(a.startTime < a.endTime).toBe(true)
      if (!a.reportNeededBy) continue
      const localStartAsUtc = Date.parse(`${a.appointmentDate}T${a.startTime}Z`)
      const zone = zones.get(a.scheduledSite) as string
      const startUtc = localStartAsUtc - zoneOffsetMs(zone, localStartAsUtc)
      expect(Date.parse(a.reportNeededBy)).toBeGreaterThan(startUtc)
    }
    // Perth is UTC+8 all year; Auckland is UTC+13 in (southern) summer.
    expect(zoneOffsetMs('Australia/Perth', ANCHOR)).toBe(8 * 3_600_000)
    expect(zoneOffsetMs('Pacific/Auckland', ANCHOR)).toBe(13 * 3_600_000)
  })

  it('generates 50 000 appointments, and the store walks them all in pages of 500', () => {
    const domain = new DomainState(generate(50_000, 5))
    expect(domain.appointments).toHaveLength(50_000)
    let position: number | null = 0
    let seen = 0
    const ids = new Set<string>()
    while (position !== null) {
      const page = domain.pendingPage(position, 500)
      for (const a of page.items) ids.add(a.id)
      seen += page.items.length
      position = page.next
    }
    expect(ids.size).toBe(seen)
    expect(seen).toBe(domain.appointments.filter((a) => a.isPending).length)
  })
})
