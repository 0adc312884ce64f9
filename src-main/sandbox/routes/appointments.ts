/**
 * The pending list (cursor paging) and the appointment view.
 *
 * Paging follows the reference: pageSize 1–500 (default 100), an opaque URL-safe nextToken, results in
 * no particular order (storage order is a seeded permutation, like a hash-keyed table), and the last
 * page says so with an empty nextToken or none at all (SandboxOptions.lastPageNextToken). The cursor
 * is a position in storage order, so a walk sees every appointment that stays pending exactly once.
 */
import { z } from 'zod'
import type { Route, RouteContext } from '../context'
import { param } from '../context'
import type { Reply } from '../http-io'
import { badRequest, issuesToErrors } from '../problem'
import type { AppointmentState, DomainState } from '../store'

export const APPOINTMENTS_BASE = '/integrations/v1/{domain}/reporting/appointments'

const pageQuerySchema = z.object({
  pageSize: z
    .string()
    .regex(/^\d{1,6}$/, 'pageSize must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'pageSize must be at least 1').max(500, 'pageSize must be at most 500'))
    .optional(),
  nextToken: z.string().optional(),
})

const cursorSchema = z.object({ d: z.string(), p: z.number().int().min(0) })
const CURSOR_PREFIX = 'c1.'

export function encodeCursor(domain: string, position: number): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify({ d: domain, p: position })).toString('base64url')
}

function decodeCursor(token: string, domain: string): number {
  const invalid = () =>
    badRequest('The nextToken is not valid for this list.', { nextToken: ['invalid token'] })
  if (!token.startsWith(CURSOR_PREFIX)) throw invalid()
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(token.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')),
    )
    if (!parsed.success || parsed.data.d !== domain) throw invalid()
    return parsed.data.p
  } catch {
    throw invalid()
  }
}

/** The appointment view as the reference shows it, plus `report` (sandbox: the current report's status). */
export function appointmentView(appointment: AppointmentState): Record<string, unknown> {
  const { attachments: _attachments, comments: _comments, ...fields } = appointment.seed
  const report = appointment.report
  return {
    ...fields,
    status: appointment.status,
    report: report
      ? {
          reportGuid: report.reportGuid,
          reportStatus: report.reportStatus,
          reportedAtUtc: report.reportedAtUtc,
          reportFormat: report.reportFormat,
          submittedAtUtc: report.submittedAtUtc,
          submissions: report.submissions,
        }
      : null,
  }
}

function pendingPage(context: RouteContext, domain: DomainState): Reply {
  const query = pageQuerySchema.safeParse(Object.fromEntries(context.url.searchParams))
  if (!query.success)
    throw badRequest('The query parameters are not valid.', issuesToErrors(query.error.issues))
  const pageSize = query.data.pageSize ?? 100
  const token = query.data.nextToken
  const start = token === undefined || token === '' ? 0 : decodeCursor(token, domain.name)
  const page = domain.pendingPage(start, pageSize)
  const items = page.items.map(appointmentView)
  if (page.next !== null)
    return { status: 200, json: { items, nextToken: encodeCursor(domain.name, page.next) } }
  return {
    status: 200,
    json: context.deps.lastPageNextToken === 'empty' ? { items, nextToken: '' } : { items },
  }
}

export const appointmentRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: `${APPOINTMENTS_BASE}/pending`,
    auth: 'bearer',
    handle: (context) => pendingPage(context, context.deps.store.domain(param(context, 'domain'))),
  },
  {
    method: 'GET',
    template: `${APPOINTMENTS_BASE}/{appointmentId}`,
    auth: 'bearer',
    handle: (context): Reply => {
      const { appointment } = context.deps.store.pendingAppointment(
        param(context, 'domain'),
        param(context, 'appointmentId'),
      )
      return { status: 200, json: appointmentView(appointment) }
    },
  },
]
