/**
 * /__admin/* — the admin handle over HTTP, for tests in other processes and for people poking at a
 * running sandbox. No token needed; mounted only when the sandbox starts with admin enabled. Never
 * subject to injected faults.
 */
import { z } from 'zod'
import type { Route, RouteContext } from '../context'
import { param } from '../context'
import { faultSettingsSchema, scriptedFaultSchema } from '../faults'
import { type Reply, parseJson, readBody, requireJsonContentType } from '../http-io'
import { badRequest, issuesToErrors } from '../problem'

const ADMIN_BODY_LIMIT = 64 * 1024

async function jsonBody<T>(context: RouteContext, schema: z.ZodType<T>): Promise<T> {
  requireJsonContentType(context.req)
  const parsed = schema.safeParse(parseJson(await readBody(context.req, ADMIN_BODY_LIMIT)))
  if (!parsed.success)
    throw badRequest('The admin request is not valid.', issuesToErrors(parsed.error.issues))
  return parsed.data
}

const statusSchema = z.object({ status: z.string().min(1) })
const advanceSchema = z.object({ ms: z.number().int().min(0) })
const effectsQuerySchema = z.object({ since: z.string().regex(/^\d+$/).transform(Number).optional() })
const limitQuerySchema = z.object({
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(50_000)).optional(),
})

const faultsReply = (context: RouteContext): Reply => ({ status: 200, json: context.deps.faults.describe() })

export const adminRoutes: readonly Route[] = [
  { method: 'GET', template: '/__admin/faults', auth: 'none', handle: faultsReply },
  {
    method: 'PUT',
    template: '/__admin/faults',
    auth: 'none',
    handle: async (context) => {
      context.deps.admin.setFaults(await jsonBody(context, faultSettingsSchema))
      return faultsReply(context)
    },
  },
  {
    method: 'POST',
    template: '/__admin/faults/next',
    auth: 'none',
    handle: async (context) => {
      context.deps.admin.injectNext(await jsonBody(context, scriptedFaultSchema))
      return faultsReply(context)
    },
  },
  {
    method: 'DELETE',
    template: '/__admin/faults',
    auth: 'none',
    handle: (context) => {
      context.deps.admin.clearFaults()
      return faultsReply(context)
    },
  },
  {
    method: 'GET',
    template: '/__admin/effects',
    auth: 'none',
    handle: (context): Reply => {
      const query = effectsQuerySchema.safeParse(Object.fromEntries(context.url.searchParams))
      if (!query.success)
        throw badRequest('since must be a sequence number.', issuesToErrors(query.error.issues))
      const since = query.data.since ?? 0
      return { status: 200, json: context.deps.admin.effects().filter((e) => e.seq > since) }
    },
  },
  {
    method: 'POST',
    template: '/__admin/appointments/{domain}/{appointmentId}/status',
    auth: 'none',
    handle: async (context): Promise<Reply> => {
      const { status } = await jsonBody(context, statusSchema)
      const domain = param(context, 'domain')
      const appointmentId = param(context, 'appointmentId')
      try {
        context.deps.admin.setAppointmentStatus(domain, appointmentId, status)
      } catch (error) {
        if (error instanceof RangeError)
          throw badRequest('Unknown appointment status.', { status: [error.message] })
        throw error
      }
      return { status: 200, json: { domain, appointmentId, status } }
    },
  },
  {
    method: 'GET',
    template: '/__admin/appointments/{domain}/pending',
    auth: 'none',
    handle: (context): Reply => {
      const query = limitQuerySchema.safeParse(Object.fromEntries(context.url.searchParams))
      if (!query.success) throw badRequest('limit must be 1 to 50000.', issuesToErrors(query.error.issues))
      const domain = param(context, 'domain')
      return { status: 200, json: context.deps.admin.pendingAppointmentIds(domain, query.data.limit ?? 10) }
    },
  },
  {
    method: 'POST',
    template: '/__admin/clock/advance',
    auth: 'none',
    handle: async (context): Promise<Reply> => {
      const { ms } = await jsonBody(context, advanceSchema)
      context.deps.admin.advanceClock(ms)
      return { status: 200, json: clockView(context) }
    },
  },
  {
    method: 'GET',
    template: '/__admin/clock',
    auth: 'none',
    handle: (context) => ({ status: 200, json: clockView(context) }),
  },
  {
    method: 'GET',
    template: '/__admin/stats',
    auth: 'none',
    handle: (context) => ({ status: 200, json: context.deps.admin.stats() }),
  },
]

function clockView(context: RouteContext): { nowUtc: string; nowMs: number } {
  const nowMs = context.deps.now()
  return { nowUtc: new Date(nowMs).toISOString(), nowMs }
}
