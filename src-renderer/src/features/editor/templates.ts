import type { ReportMacro, ReportTemplate, Settings } from '../../../../src-preload/contract'
import type { StarterSet } from './starter-set'

/**
 * Which template a new report starts from. A template applies to an appointment when its modalities
 * are empty or name the appointment's modality, and every one of its description keywords is a word
 * of the study description (ignoring case). Of those that apply, the most specific wins: the most
 * keywords, then one that names the modality over one for any, then the first in the list (the
 * person's own order). A keyword may name alternatives with `|` (`brain|head`: either word will do)
 * and may be several words (`lumbar spine`: all of them). QUBS sends DICOM modality codes (DX, CR, MR, …) while people write XR or MRI,
 * so both are read through the same aliases; when QUBS sends no modality, the study description's
 * first word ("CT Brain", "XR Knee") stands in for it.
 */
export interface TemplateSubject {
  readonly modality: string | null
  readonly studyDescription: string | null
}

const MODALITY_ALIASES: Readonly<Record<string, string>> = {
  DX: 'XR',
  CR: 'XR',
  DR: 'XR',
  XRAY: 'XR',
  'X-RAY': 'XR',
  MRI: 'MR',
  CTA: 'CT',
  MRA: 'MR',
  USS: 'US',
  ULTRASOUND: 'US',
}

/** The modality as one code (`XR` for DX / CR / DR / X-ray, `MR` for MRI, …), upper case. */
export function normalizeModality(modality: string): string {
  const code = modality.trim().toUpperCase()
  return MODALITY_ALIASES[code] ?? code
}

/** The person's templates once they edited any, else the starter set we ship. */
export function resolveTemplates(
  editor: Pick<Settings['editor'], 'templates'>,
  starter: StarterSet,
): readonly ReportTemplate[] {
  return editor.templates ?? starter.templates
}

/** The person's macros once they edited any, else the starter set we ship. */
export function resolveMacros(
  editor: Pick<Settings['editor'], 'macros'>,
  starter: StarterSet,
): readonly ReportMacro[] {
  return editor.macros ?? starter.macros
}

/** The default template for the appointment, or null when none applies (the report starts blank). */
export function chooseDefaultTemplate(
  templates: readonly ReportTemplate[],
  subject: Readonly<TemplateSubject>,
): ReportTemplate | null {
  const words = new Set(wordsOf(subject.studyDescription ?? ''))
  const modality = subjectModality(subject)
  let best: { readonly template: ReportTemplate; readonly score: number } | null = null
  for (const template of templates) {
    const score = applicability(template, modality, words)
    if (score !== null && (best === null || score > best.score)) best = { template, score }
  }
  return best?.template ?? null
}

/** Null when the template does not apply; otherwise how specific it is (higher is more). */
function applicability(
  template: ReportTemplate,
  modality: string | null,
  words: ReadonlySet<string>,
): number | null {
  const modalities = template.modalities.map(normalizeModality)
  const namesModality = modalities.length > 0
  if (namesModality && (modality === null || !modalities.includes(modality))) return null
  const keywords = template.descriptionKeywords
  if (!keywords.every((keyword) => keywordFound(keyword, words))) return null
  return keywords.length * 2 + (namesModality ? 1 : 0)
}

function keywordFound(keyword: string, words: ReadonlySet<string>): boolean {
  return keyword.split('|').some((alternative) => {
    const needed = wordsOf(alternative)
    return needed.length > 0 && needed.every((word) => words.has(word))
  })
}

function subjectModality(subject: Readonly<TemplateSubject>): string | null {
  const given = subject.modality?.trim()
  if (given) return normalizeModality(given)
  const first = wordsOf(subject.studyDescription ?? '')[0]
  return first === undefined ? null : normalizeModality(first)
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []
}
