import { z } from 'zod'

/**
 * The CI verdict on an electronegativity run (scripts/electronegativity.mjs), kept apart from the
 * install-and-scan so it is tested in Node. Policy: every HIGH or MEDIUM finding fails, at any
 * confidence — TENTATIVE included, since "tentative" checks (protocol handlers, openExternal) are
 * exactly the ones a person must look at — unless `electronegativity-exclusions.json` lists that
 * check in that file with its reason. LOW and INFORMATIONAL findings are reported, never fatal. An
 * exclusion that matches nothing fails too, and so does a file the tool could not parse.
 */
export const ExclusionsSchema = z.array(
  z
    .object({
      check: z.string().regex(/^[A-Z][A-Z_]+$/, 'a check id such as OPEN_EXTERNAL_JS_CHECK'),
      file: z.string().min(1),
      reason: z.string().trim().min(20, 'say why the finding is not a weakness here'),
    })
    .strict(),
)
export type Exclusion = z.infer<typeof ExclusionsSchema>[number]

const LevelSchema = z.object({ name: z.string() })
const IssueSchema = z.object({
  id: z.string(),
  file: z.string(),
  location: z.object({ line: z.number(), column: z.number() }),
  severity: LevelSchema,
  confidence: LevelSchema,
  manualReview: z.boolean().optional(),
})

export interface Finding {
  readonly check: string
  readonly file: string
  readonly line: number
  readonly severity: string
  readonly confidence: string
}

export interface ParseError {
  readonly file: string
  readonly message: string
  readonly tolerable: boolean
}

export interface Verdict {
  readonly ok: boolean
  readonly failing: readonly Finding[]
  readonly excused: readonly Finding[]
  readonly belowThreshold: readonly Finding[]
  readonly staleExclusions: readonly Exclusion[]
  readonly unparsed: readonly string[]
}

const FATAL_SEVERITIES = new Set(['HIGH', 'MEDIUM'])

/** The runner's issues, checked: a new tool version with another shape must fail loudly, not pass. */
export function parseFindings(issues: unknown): Finding[] {
  const parsed = z.array(IssueSchema).safeParse(issues)
  if (!parsed.success)
    throw new Error(`electronegativity returned issues of an unknown shape: ${parsed.error.message}`)
  return parsed.data.map((issue) => ({
    check: issue.id,
    file: issue.file.split('\\').join('/'),
    line: issue.location.line,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
  }))
}

export function judgeFindings(
  findings: readonly Finding[],
  exclusions: readonly Exclusion[],
  errors: readonly ParseError[] = [],
): Verdict {
  const used = new Set<Exclusion>()
  const failing: Finding[] = []
  const excused: Finding[] = []
  const belowThreshold: Finding[] = []
  for (const finding of findings) {
    if (!FATAL_SEVERITIES.has(finding.severity)) {
      belowThreshold.push(finding)
      continue
    }
    const exclusion = exclusions.find((e) => e.check === finding.check && e.file === finding.file)
    if (exclusion) {
      used.add(exclusion)
      excused.push(finding)
    } else {
      failing.push(finding)
    }
  }
  const staleExclusions = exclusions.filter((e) => !used.has(e))
  const unparsed = errors.filter((e) => !e.tolerable).map((e) => e.file)
  const ok = failing.length === 0 && staleExclusions.length === 0 && unparsed.length === 0
  return { ok, failing, excused, belowThreshold, staleExclusions, unparsed }
}
