import { describe, expect, it } from 'vitest'
import { MAX_REPORT_TEXT_BYTES } from '../../src-preload/contract'
import {
  canSubmit,
  runPreSubmitChecks,
  type PreSubmitInput,
} from '../../src-renderer/src/features/editor/pre-submit-checks'

const signed = { name: 'Dr Test Reader', providerNumber: '1234567A' }
const input = (overrides: Partial<PreSubmitInput> = {}): PreSubmitInput => ({
  text: 'No acute abnormality.',
  reportStatus: 'final',
  studyDescription: 'XR Chest',
  patientSex: 'F',
  clinician: signed,
  finalWaitingSince: null,
  ...overrides,
})
const ids = (overrides: Partial<PreSubmitInput>) => runPreSubmitChecks(input(overrides)).map((f) => f.id)
const finding = (overrides: Partial<PreSubmitInput>, id: string) =>
  runPreSubmitChecks(input(overrides)).find((f) => f.id === id)

describe('editor pre-submit checks', () => {
  it('passes a complete, consistent final', () => {
    expect(runPreSubmitChecks(input())).toEqual([])
    expect(canSubmit([])).toBe(true)
  })

  it('blocks an empty report, saying what to do', () => {
    const empty = finding({ text: ' \n\t ' }, 'empty')
    expect(empty).toMatchObject({ severity: 'block', message: expect.stringMatching(/empty.*dictate/i) })
    expect(canSubmit(runPreSubmitChecks(input({ text: '' })))).toBe(false)
  })

  it('blocks unfilled fields in a final, warns in a preliminary, and points at the first', () => {
    const text = 'Size [size] mm in the [lobe].'
    expect(finding({ text }, 'unfilled-fields')).toMatchObject({
      severity: 'block',
      message: expect.stringMatching(/^2 \[fields\] are not filled in.*Tab/),
      range: { start: 5, end: 11 },
    })
    expect(finding({ text, reportStatus: 'preliminary' }, 'unfilled-fields')).toMatchObject({
      severity: 'warn',
    })
  })

  it('blocks a report over 2 097 152 UTF-8 bytes, counting bytes and not characters', () => {
    const full = 'é'.repeat(MAX_REPORT_TEXT_BYTES / 2)
    expect(ids({ text: full })).not.toContain('too-long')
    expect(finding({ text: `${full}é` }, 'too-long')).toMatchObject({
      severity: 'block',
      message: expect.stringMatching(/2 bytes over the 2097152-byte limit/),
    })
  })

  it('warns when the report names the other side than the study', () => {
    const found = finding(
      {
        studyDescription: 'XR LEFT KNEE',
        text: 'Right knee: no effusion. The right medial joint space is narrowed.',
      },
      'laterality',
    )
    expect(found).toMatchObject({
      severity: 'warn',
      message: expect.stringMatching(/study is of the left side.*"right" 2 times/),
      range: { start: 0, end: 5 },
    })
    expect(ids({ studyDescription: 'XR Rt Wrist', text: 'Left wrist normal.' })).toContain('laterality')
  })

  it('does not check laterality for bilateral or side-less studies, or a report on the same side', () => {
    expect(ids({ studyDescription: 'XR Bilateral Knees', text: 'Left and right knees normal.' })).toEqual([])
    expect(ids({ studyDescription: 'XR Chest', text: 'Right lower lobe consolidation.' })).toEqual([])
    expect(ids({ studyDescription: 'XR LEFT KNEE', text: 'Left knee effusion. Upright views.' })).toEqual([])
    expect(ids({ studyDescription: 'XR Left and Right Hands', text: 'Right hand normal.' })).toEqual([])
  })

  it('warns about organs of the other sex, but not in a negated phrase, nor without a recorded sex', () => {
    expect(
      finding({ patientSex: 'M', text: 'The uterus is anteverted. Ovaries normal.' }, 'sex-specific'),
    ).toMatchObject({
      severity: 'warn',
      message: expect.stringMatching(/recorded as male.*"uterus" and 1 more female-specific term\./),
      range: { start: 4, end: 10 },
    })
    expect(ids({ patientSex: 'Female', text: 'Prostate is enlarged.' })).toContain('sex-specific')
    expect(ids({ patientSex: 'F', text: 'Bladder normal. No prostate identified.' })).toEqual([])
    expect(ids({ patientSex: 'M', text: 'Status post hysterectomy, uterus absent.' })).toEqual([])
    expect(ids({ patientSex: 'U', text: 'The uterus is anteverted.' })).toEqual([])
    expect(ids({ patientSex: null, text: 'Prostate normal.' })).toEqual([])
    expect(ids({ patientSex: 'M', text: 'Cervical spine normal.' })).toEqual([])
  })

  it('blocks a final without the clinician’s name or provider number; a preliminary may go without', () => {
    const missing = finding({ clinician: { name: ' ', providerNumber: '' } }, 'clinician-missing')
    expect(missing).toMatchObject({
      severity: 'block',
      message: expect.stringMatching(/name and provider number, which are not set.*Settings/),
    })
    expect(finding({ clinician: { ...signed, providerNumber: '' } }, 'clinician-missing')?.message).toMatch(
      /your provider number, which is not set/,
    )
    expect(ids({ reportStatus: 'preliminary', clinician: { name: '', providerNumber: '' } })).toEqual([])
  })

  it('warns when a final for this appointment is still waiting to be sent, saying since when', () => {
    const queuedAt = new Date(2026, 11, 1, 9, 41).getTime()
    const waiting = finding({ finalWaitingSince: queuedAt }, 'final-waiting')
    expect(waiting).toMatchObject({ severity: 'warn' })
    expect(waiting?.message).toContain(
      `A final for this appointment is already waiting to be sent (queued ${new Date(queuedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`,
    )
    expect(waiting?.message).toMatch(/second final/)
    expect(
      finding({ finalWaitingSince: queuedAt, reportStatus: 'preliminary' }, 'final-waiting'),
    ).toMatchObject({
      severity: 'warn',
    })
    expect(ids({ finalWaitingSince: null })).not.toContain('final-waiting')
  })

  it('lists blocking findings before warnings', () => {
    const findings = runPreSubmitChecks(
      input({
        studyDescription: 'XR LEFT KNEE',
        text: 'Right knee [grade].',
        clinician: { name: '', providerNumber: '' },
      }),
    )
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['clinician-missing', 'block'],
      ['unfilled-fields', 'block'],
      ['laterality', 'warn'],
    ])
    expect(canSubmit(findings)).toBe(false)
  })
})
