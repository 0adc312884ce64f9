import { describe, expect, it } from 'vitest'
import {
  deadlineState,
  formatAge,
  formatCountdown,
  formatInstantIn,
  formatSiteTime,
  siteLocalInstant,
} from '../../src-renderer/src/ui/time-format'

describe('site-local times', () => {
  it('reads a wall-clock time in the site zone, across daylight saving', () => {
    // Sydney is UTC+11 in December (AEDT) and UTC+10 in June (AEST).
    expect(siteLocalInstant('2026-12-01', '09:30:00', 'Australia/Sydney')).toBe(
      Date.parse('2026-11-30T22:30:00Z'),
    )
    expect(siteLocalInstant('2026-06-01', '09:30:00', 'Australia/Sydney')).toBe(
      Date.parse('2026-05-31T23:30:00Z'),
    )
    expect(siteLocalInstant('2026-12-01', '09:30:00', 'Australia/Perth')).toBe(
      Date.parse('2026-12-01T01:30:00Z'),
    )
    expect(siteLocalInstant('2026-12-01', '09:30', null)).toBeNull()
    expect(siteLocalInstant('2026-12-01', '09:30', 'Not/AZone')).toBeNull()
  })

  it('shows the site time as QUBS gave it, with the zone abbreviation, never converted', () => {
    expect(formatSiteTime('2026-12-01', '09:30:00', 'Australia/Sydney')).toBe('2026-12-01 09:30 AEDT')
    expect(formatSiteTime('2026-06-01', '09:30:00', 'Australia/Sydney')).toBe('2026-06-01 09:30 AEST')
    expect(formatSiteTime('2026-12-01', '09:30:00', null)).toBe('2026-12-01 09:30 (site time)')
    expect(formatSiteTime(null, null, 'Australia/Sydney')).toBe('—')
  })
})

describe('age and deadlines', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')
  it('gives age in years, months under two, days under a month', () => {
    expect(formatAge('1980-12-02', now)).toBe('45y')
    expect(formatAge('1980-12-01', now)).toBe('46y')
    expect(formatAge('2025-06-15', now)).toBe('17m')
    expect(formatAge('2026-11-20', now)).toBe('11d')
    expect(formatAge(null, now)).toBe('')
    expect(formatAge('2027-01-01', now)).toBe('')
  })

  it('turns amber inside the threshold and red once past', () => {
    const t = { amberMinutes: 60, redMinutes: 15 }
    expect(deadlineState(null, now, t)).toBe('none')
    expect(deadlineState(now + 61 * 60_000, now, t)).toBe('ok')
    expect(deadlineState(now + 60 * 60_000, now, t)).toBe('near')
    expect(deadlineState(now - 1, now, t)).toBe('past')
    // The red threshold (settings.worklist.redMinutes) turns it red before the deadline passes.
    expect(deadlineState(now + 16 * 60_000, now, t)).toBe('near')
    expect(deadlineState(now + 15 * 60_000, now, t)).toBe('urgent')
    expect(deadlineState(now, now, { amberMinutes: 60, redMinutes: 0 })).toBe('urgent')
    expect(formatCountdown(now + 125 * 60_000, now)).toBe('2h 05m')
    expect(formatCountdown(now + (3 * 24 + 4) * 3_600_000, now)).toBe('3d 4h')
    expect(formatCountdown(now - 70 * 60_000, now)).toBe('\u22121h 10m')
  })
})

describe('formatInstantIn', () => {
  it("shows a UTC deadline as the site's wall-clock time with its zone, or UTC when the zone is unknown", () => {
    const deadline = Date.parse('2026-11-30T03:30:00Z')
    expect(formatInstantIn(deadline, 'Australia/Adelaide')).toBe('2026-11-30 14:00 ACDT')
    expect(formatInstantIn(deadline, null)).toBe('2026-11-30 03:30 UTC')
    expect(formatInstantIn(null, 'Australia/Adelaide')).toBe('—')
  })
})
