import {
  MAX_REPORT_TEXT_BYTES,
  type ClinicianProfile,
  type ReportStatus,
} from '../../../../src-preload/contract'
import { utf8ByteLength } from './byte-count'
import { unfilledFields } from './fields'

/**
 * The checks shown before a report is sent, each saying why it matters and what to do. A `block`
 * stops the submission until it is fixed; a `warn` may be confirmed and sent as it is. Pure: the
 * editor runs them on the text and the appointment it shows, and main checks size and clinician
 * again on its own. Messages go on the screen only (they may quote the study's side), never to logs.
 */
export type CheckSeverity = 'block' | 'warn'
export type PreSubmitCheckId =
  | 'empty'
  | 'unfilled-fields'
  | 'too-long'
  | 'laterality'
  | 'sex-specific'
  | 'clinician-missing'
  | 'final-waiting'

export interface PreSubmitFinding {
  readonly id: PreSubmitCheckId
  readonly severity: CheckSeverity
  readonly message: string
  /** Where in the text to look first (UTF-16 offsets), when the finding is about words in it. */
  readonly range?: { readonly start: number; readonly end: number }
}

export interface PreSubmitInput {
  readonly text: string
  readonly reportStatus: ReportStatus
  /** From the appointment; null when QUBS sent none. */
  readonly studyDescription: string | null
  /** The appointment's `gender` as QUBS sends it (F, M, Female, Male, U, …); null when none. */
  readonly patientSex: string | null
  readonly clinician: Pick<ClinicianProfile, 'name' | 'providerNumber'>
  /**
   * When the newest final for this appointment that is still waiting in the outbox (queued, sending
   * or held) was queued; null when none waits.
   */
  readonly finalWaitingSince: number | null
}

/** Every finding, blocking ones first; empty when the report may be sent without asking. */
export function runPreSubmitChecks(input: Readonly<PreSubmitInput>): PreSubmitFinding[] {
  const findings = [
    checkEmpty(input),
    checkTooLong(input),
    checkClinician(input),
    checkUnfilledFields(input),
    checkLaterality(input),
    checkSexSpecific(input),
    checkFinalWaiting(input),
  ].filter((finding): finding is PreSubmitFinding => finding !== null)
  return findings.toSorted((a, b) => rank(a.severity) - rank(b.severity))
}

/** True when nothing blocks: the person may send, after confirming any warnings. */
export function canSubmit(findings: readonly PreSubmitFinding[]): boolean {
  return findings.every((finding) => finding.severity !== 'block')
}

function rank(severity: CheckSeverity): number {
  return severity === 'block' ? 0 : 1
}

function checkEmpty({ text }: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  if (text.trim().length > 0) return null
  return {
    id: 'empty',
    severity: 'block',
    message: 'The report is empty. Write or dictate the report before submitting it.',
  }
}

function checkTooLong({ text }: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  const bytes = utf8ByteLength(text)
  if (bytes <= MAX_REPORT_TEXT_BYTES) return null
  return {
    id: 'too-long',
    severity: 'block',
    message:
      `The report is ${bytes - MAX_REPORT_TEXT_BYTES} bytes over the ${MAX_REPORT_TEXT_BYTES}-byte limit ` +
      'that QUBS accepts (counted in UTF-8; accented letters and symbols count 2–4 bytes). Shorten it, ' +
      'or attach the long part as a PDF.',
  }
}

function checkClinician({ reportStatus, clinician }: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  if (reportStatus !== 'final') return null
  const missing = [
    clinician.name.trim() === '' ? 'name' : null,
    clinician.providerNumber.trim() === '' ? 'provider number' : null,
  ].filter((what) => what !== null)
  if (missing.length === 0) return null
  return {
    id: 'clinician-missing',
    severity: 'block',
    message:
      `A final report is signed with your ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not set. ` +
      'Add them in Settings → Clinician, or submit it as preliminary.',
  }
}

function checkUnfilledFields({ text, reportStatus }: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  const fields = unfilledFields(text)
  const first = fields[0]
  if (first === undefined) return null
  const count = fields.length === 1 ? 'One [field] is' : `${fields.length} [fields] are`
  // A final is the signed report: a blank in it goes to the referrer. A preliminary may still hold one.
  return {
    id: 'unfilled-fields',
    severity: reportStatus === 'final' ? 'block' : 'warn',
    message:
      `${count} not filled in. Fill each one or delete it: Tab (or F2) selects the next field, ` +
      'so dictation replaces it.',
    range: { start: first.start, end: first.end },
  }
}

/**
 * Another report while a final still waits to be sent: the outbox would send both, with no word that
 * the first one has not reached QUBS yet. A warning: the person may mean to correct it. (A delivered
 * final makes the draft read-only instead, with its own "Submit again".)
 */
function checkFinalWaiting({
  finalWaitingSince,
  reportStatus,
}: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  if (finalWaitingSince === null) return null
  const queued = new Date(finalWaitingSince).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  const consequence =
    reportStatus === 'final'
      ? 'Sending this queues a second final after it; QUBS keeps the one that arrives last.'
      : 'This preliminary would be sent after that final.'
  return {
    id: 'final-waiting',
    severity: 'warn',
    message:
      `A final for this appointment is already waiting to be sent (queued ${queued}). ${consequence} ` +
      'Check the outbox, or confirm to send this one as well.',
  }
}

type Side = 'left' | 'right'
const SIDE_WORDS: Readonly<Record<Side, RegExp>> = {
  left: /\b(?:left|lt)\b/giu,
  right: /\b(?:right|rt)\b/giu,
}

/**
 * The study names one side and the report names the other. Only when the description names exactly
 * one side ("XR LEFT KNEE"); bilateral studies and descriptions without a side are not checked.
 */
function checkLaterality({ text, studyDescription }: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  const description = studyDescription ?? ''
  if (/\b(?:bilateral|both|bilat)\b/iu.test(description)) return null
  const sides = (['left', 'right'] as const).filter((side) => new RegExp(SIDE_WORDS[side]).test(description))
  const studySide = sides.length === 1 ? sides[0] : undefined
  if (studySide === undefined) return null
  const otherSide: Side = studySide === 'left' ? 'right' : 'left'
  const mentions = [...text.matchAll(new RegExp(SIDE_WORDS[otherSide]))]
  const first = mentions[0]
  if (first === undefined) return null
  return {
    id: 'laterality',
    severity: 'warn',
    message:
      `The study is of the ${studySide} side, but the report says "${otherSide}" ${times(mentions.length)}. ` +
      'A wrong side is a serious error: check each mention, or confirm if the other side is meant ' +
      '(a comparison, say).',
    range: { start: first.index, end: first.index + first[0].length },
  }
}

const SEX_SPECIFIC_TERMS: Readonly<Record<'female' | 'male', RegExp>> = {
  female:
    /\b(?:uterus|uterine|ovary|ovaries|ovarian|endometri(?:um|al)|cervix|fallopian|adnexa|adnexal|vagina|vaginal|placenta|placental|gravid)\b/giu,
  male: /\b(?:prostate|prostatic|testis|testes|testicles?|testicular|scrotum|scrotal|seminal vesicles?|epididymis|epididymal|penis|penile)\b/giu,
}

/**
 * Organs of one sex in the report of a patient recorded as the other. A mention in a negated phrase
 * ("no uterus identified", "status post prostatectomy") is not counted; patients without a recorded
 * sex (U, unknown, other) are not checked. A warning only: the record may be out of date.
 */
function checkSexSpecific({ text, patientSex }: Readonly<PreSubmitInput>): PreSubmitFinding | null {
  const sex = recordedSex(patientSex)
  if (sex === null) return null
  const otherSex = sex === 'female' ? 'male' : 'female'
  const mentions = [...text.matchAll(new RegExp(SEX_SPECIFIC_TERMS[otherSex]))].filter(
    (match) => !negated(text, match.index),
  )
  const first = mentions[0]
  if (first === undefined) return null
  return {
    id: 'sex-specific',
    severity: 'warn',
    message:
      `The patient is recorded as ${sex}, but the report mentions "${first[0].toLowerCase()}"` +
      `${mentions.length > 1 ? ` and ${mentions.length - 1} more ${otherSex}-specific term${mentions.length > 2 ? 's' : ''}` : ''}. ` +
      'Check that this is the right patient and that the text is not from another report, or confirm.',
    range: { start: first.index, end: first.index + first[0].length },
  }
}

function recordedSex(value: string | null): 'female' | 'male' | null {
  const code = value?.trim().toLowerCase() ?? ''
  if (code === 'f' || code === 'female') return 'female'
  if (code === 'm' || code === 'male') return 'male'
  return null
}

const NEGATION = /\b(?:no|not|nil|without|absent|removed|post|status-post|s\/p)\b|ectomy/iu

/** A negating word earlier in the same clause (since the last . ; : or line break). */
function negated(text: string, index: number): boolean {
  const clauseStart = Math.max(
    text.lastIndexOf('.', index - 1),
    text.lastIndexOf(';', index - 1),
    text.lastIndexOf(':', index - 1),
    text.lastIndexOf('\n', index - 1),
  )
  return NEGATION.test(text.slice(clauseStart + 1, index))
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`
}
