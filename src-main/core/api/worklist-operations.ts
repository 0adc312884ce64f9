import {
  APPOINTMENTS,
  appointmentPath,
  enc,
  pathId,
  type CallOptions,
  type OperationContext,
} from './operation-context'
import { walkPendingPages, type PendingPage } from './pending-walk'
import { appointmentBoundTo, boundToDomain } from './domain-binding'
import {
  AppointmentSchema,
  PendingPageSchema,
  type Appointment,
  type PendingAppointment,
  type PendingPageData,
} from './schemas'
import { NextTokenSchema, PageSizeSchema, validateInput } from './validation'

/**
 * The worklist reads: pages of the pending list, the full walk over them, and one appointment. Every
 * appointment handed out carries the domain it was read from.
 */
export interface PendingPageOptions extends CallOptions {
  readonly pageSize?: number | undefined
  readonly nextToken?: string | undefined
}

export interface WalkPendingOptions extends CallOptions {
  /** Defaults to every configured domain. */
  readonly domains?: readonly string[] | undefined
  readonly pageSize?: number | undefined
}

export async function listPendingPage(
  context: OperationContext,
  domain: string,
  options: Readonly<PendingPageOptions>,
): Promise<PendingPage> {
  const data = await context.get(domain, (d) => {
    const pageSize =
      options.pageSize === undefined ? undefined : validateInput(PageSizeSchema, options.pageSize, 'pageSize')
    const nextToken =
      options.nextToken === undefined || options.nextToken === ''
        ? undefined
        : validateInput(NextTokenSchema, options.nextToken, 'nextToken')
    return {
      route: `${APPOINTMENTS}/pending`,
      path: `/${enc(d)}/reporting/appointments/pending`,
      query: { pageSize, nextToken },
      schema: PendingPageSchema,
      check: boundToDomain(d, (page: PendingPageData) => page.items),
      signal: options.signal,
    }
  })
  return {
    items: data.items.map((item) => withDomain(item, domain)),
    nextToken: data.nextToken ? data.nextToken : undefined,
  }
}

export async function walkPending(
  context: OperationContext,
  options: Readonly<WalkPendingOptions>,
): Promise<PendingAppointment[]> {
  return context.guard(async () => {
    const domains = (options.domains ?? context.domains).map((domain) => context.domain(domain))
    const result = await walkPendingPages(
      (domain, pageOptions) => listPendingPage(context, domain, pageOptions),
      {
        domains: [...new Set(domains)],
        pageSize: options.pageSize,
        signal: options.signal,
        logger: context.logger,
      },
    )
    return result.items
  })
}

export async function getAppointment(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  options: Readonly<CallOptions>,
): Promise<Appointment> {
  const data = await context.get(domain, (d) => ({
    route: `${APPOINTMENTS}/{appointmentId}`,
    path: appointmentPath(d, pathId('appointmentId', appointmentId)),
    schema: AppointmentSchema,
    check: appointmentBoundTo(d, appointmentId),
    signal: options.signal,
  }))
  return withDomain(data, domain)
}

function withDomain<T extends { domain?: string | undefined }>(
  item: T,
  domain: string,
): T & { domain: string } {
  // An item without its domain (or with an empty one) belongs to the domain we asked; one naming
  // another domain never gets here (boundToDomain refuses the whole answer). One that names it already
  // is handed out as parsed — zod built it for us, nobody else holds it — rather than copied field by
  // field (every item of every page of the walk, issue 14).
  if (item.domain === domain) return item as T & { domain: string }
  return { ...item, domain }
}
