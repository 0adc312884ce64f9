import { ContractError } from '../../../src-preload/contract/server'
import type { Logger } from '../../common/logger'
import { isSecureUrl } from '../api'

/**
 * The PACS image viewer link: `settings.pacs.linkTemplate` with the appointment's values put in,
 * opened only to the template's own origin. The origin is fixed by the template's literal text — a
 * placeholder may appear in the path, query or fragment, never in the scheme, host or port — so no
 * value that came from QUBS can send the person's browser anywhere else. Values are URL-encoded. The
 * URL carries identifiers (patient id, study UID): only its origin is ever logged.
 */
export const PLACEHOLDERS = ['studyInstanceUid', 'appointmentId', 'patientId', 'domain'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]
export type ViewerValues = Readonly<Record<Placeholder, string | null | undefined>>

/** Opens a URL in the system browser, allowed only to the given origins (the shell's openExternalAllowed). */
export type OpenExternal = (url: string, allowedOrigins: readonly string[]) => Promise<void>

const PLACEHOLDER_PATTERN = /\{([A-Za-z]+)\}/g

const FIELD_WORDS: Record<Placeholder, string> = {
  studyInstanceUid: 'study instance UID',
  appointmentId: 'appointment id',
  patientId: 'patient id',
  domain: 'domain',
}

export interface ViewerLink {
  readonly url: string
  readonly origin: string
}

export function buildViewerLink(template: string, values: ViewerValues): ViewerLink {
  if (template.trim().length === 0) {
    throw new ContractError('unavailable', 'no image viewer link is set up (Settings, PACS viewer link)')
  }
  const origin = templateOrigin(template)
  const url = template.replace(PLACEHOLDER_PATTERN, (_match, name: string) => {
    const value = values[name as Placeholder]
    if (value === null || value === undefined || value.trim().length === 0) {
      throw new ContractError(
        'not-found',
        `this appointment has no ${FIELD_WORDS[name as Placeholder]}, which the image viewer link needs`,
      )
    }
    return encodeURIComponent(value)
  })
  // Belt and braces: whatever the values were, the result must still be on the template's origin.
  if (!URL.canParse(url) || new URL(url).origin !== origin) {
    throw new ContractError('validation', 'the image viewer link does not stay on its own address')
  }
  return { url, origin }
}

/** The template's origin, checked: https (http on loopback only), known placeholders, none in the origin. */
export function templateOrigin(template: string): string {
  for (const [, name] of template.matchAll(PLACEHOLDER_PATTERN)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
      throw new ContractError(
        'validation',
        `the image viewer link has an unknown placeholder {${name}}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      )
    }
  }
  const neutral = template.replace(PLACEHOLDER_PATTERN, 'x')
  if (!isSecureUrl(neutral)) {
    throw new ContractError(
      'validation',
      'the image viewer link must be an https address (http only on this computer, for tests)',
    )
  }
  const origin = new URL(neutral).origin
  const rest = template.slice(origin.length)
  if (template.slice(0, origin.length).toLowerCase() !== origin.toLowerCase() || !/^(?:$|[/?#])/.test(rest)) {
    throw new ContractError('validation', 'the image viewer link may use placeholders only after its address')
  }
  return origin
}

/** Whether the template needs the appointment read from QUBS (not just its key). */
export function needsAppointment(template: string): boolean {
  return template.includes('{studyInstanceUid}') || template.includes('{patientId}')
}

export interface OpenViewerOptions {
  readonly template: string
  readonly values: ViewerValues
  readonly openExternal: OpenExternal
  readonly logger: Logger
}

export async function openViewer(options: Readonly<OpenViewerOptions>): Promise<ViewerLink> {
  const link = buildViewerLink(options.template, options.values)
  await options.openExternal(link.url, [link.origin])
  options.logger.info('image viewer opened', { origin: link.origin })
  return link
}
