import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ExclusionsSchema,
  judgeFindings,
  parseFindings,
  type Exclusion,
} from '../../../scripts/electronegativity-gate.mjs'

/** Issues as electronegativity 1.10's runner returns them (severity and confidence are objects). */
function issue(id: string, file: string, severity: string, confidence = 'FIRM') {
  return {
    id,
    file,
    location: { line: 3, column: 1 },
    severity: { name: severity, value: 0 },
    confidence: { name: confidence, value: 0 },
    manualReview: false,
    description: 'x',
  }
}

const EXCUSED: Exclusion = {
  check: 'OPEN_EXTERNAL_JS_CHECK',
  file: 'src-main/electron/open-external.ts',
  reason: 'the one call site, behind the origin allow-list tested in open-external.test.ts',
}

describe('electronegativity gate', () => {
  it('fails on every HIGH or MEDIUM finding, whatever its confidence, that no exclusion covers', () => {
    const findings = parseFindings([
      issue('CONTEXT_ISOLATION_JS_CHECK', 'src-main/electron/window.ts', 'HIGH'),
      issue('PROTOCOL_HANDLER_JS_CHECK', 'src-main/index.ts', 'MEDIUM', 'TENTATIVE'),
      issue('CSP_GLOBAL_CHECK', 'src-renderer/index.html', 'LOW'),
      issue('ELECTRON_VERSION_JSON_CHECK', 'package.json', 'INFORMATIONAL', 'CERTAIN'),
    ])
    const verdict = judgeFindings(findings, [])
    expect(verdict.failing.map((f) => f.check)).toEqual([
      'CONTEXT_ISOLATION_JS_CHECK',
      'PROTOCOL_HANDLER_JS_CHECK',
    ])
    expect(verdict.belowThreshold).toHaveLength(2)
    expect(verdict.ok).toBe(false)
  })

  it('passes a finding excused for that check in that file, and only there', () => {
    const findings = parseFindings([
      issue('OPEN_EXTERNAL_JS_CHECK', 'src-main/electron/open-external.ts', 'MEDIUM'),
      issue('OPEN_EXTERNAL_JS_CHECK', 'src-main/index.ts', 'MEDIUM'),
    ])
    const verdict = judgeFindings(findings, [EXCUSED])
    expect(verdict.excused.map((f) => f.file)).toEqual(['src-main/electron/open-external.ts'])
    expect(verdict.failing.map((f) => f.file)).toEqual(['src-main/index.ts'])
  })

  it('fails on an exclusion that no longer matches anything, so the file stays true', () => {
    const verdict = judgeFindings([], [EXCUSED])
    expect(verdict.staleExclusions).toEqual([EXCUSED])
    expect(verdict.ok).toBe(false)
  })

  it('fails on a file the tool could not parse (it was not checked)', () => {
    const verdict = judgeFindings(
      [],
      [],
      [{ file: 'src-main/x.ts', message: 'Unknown node type', tolerable: false }],
    )
    expect(verdict.ok).toBe(false)
    expect(verdict.unparsed).toEqual(['src-main/x.ts'])
  })

  it('refuses an exclusion without a reason, and a finding of an unknown shape', () => {
    expect(
      ExclusionsSchema.safeParse([{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'a.ts', reason: '' }]).success,
    ).toBe(false)
    expect(ExclusionsSchema.safeParse([{ ...EXCUSED, extra: 1 }]).success).toBe(false)
    expect(() => parseFindings([{ id: 'X' }])).toThrow(/electronegativity/)
  })

  it('keeps the committed exclusion file valid', () => {
    const text = readFileSync(
      resolve(import.meta.dirname, '../../../electronegativity-exclusions.json'),
      'utf8',
    )
    expect(ExclusionsSchema.safeParse(JSON.parse(text)).success).toBe(true)
  })
})
