/**
 * Comments and alerts: the list (the appointment's own plus its patient's), one by guid, and create.
 * Types are AC (appointment comment), AA (appointment alert), PC (patient comment), PA (patient
 * alert); without a type, the documented default applies: AA when isAlert is true, otherwise AC.
 * A created PC/PA belongs to the patient (appointmentId ''), so it shows on the patient's other
 * appointments too. Blank text is rejected.
 */
import { z } from 'zod'
import type { Route, RouteContext } from '../context'
import { param, principalOf } from '../context'
import type { Reply } from '../http-io'
import { badRequest, issuesToErrors, notFound } from '../problem'
import { isoSeconds } from '../seed'
import type { UserRef } from '../seed-catalogue'
import type { CommentRecord } from '../store'
import { APPOINTMENTS_BASE } from './appointments'
import { type PostInput, idempotentPost } from './idempotent-post'

const COMMENT_TYPES = ['AC', 'AA', 'PC', 'PA'] as const

export const createCommentSchema = z.object({
  commentText: z.string().refine((text) => text.trim().length > 0, 'commentText must not be blank'),
  commentType: z.enum(COMMENT_TYPES).nullish(),
  isAlert: z.boolean().nullish(),
  commentDateTime: z.iso.datetime({ offset: true }).nullish(),
})

export type CreateCommentRequest = z.infer<typeof createCommentSchema>

/** The author of everything a partner creates: the integration's client. */
export function integrationUser(clientId: string): UserRef {
  return {
    username: clientId,
    firstName: 'Integration',
    initials: 'IP',
    lastName: 'Partner',
    role: 'Integration',
  }
}

/** The documented default: AA when isAlert is true, otherwise AC. */
export function effectiveCommentType(request: CreateCommentRequest): (typeof COMMENT_TYPES)[number] {
  return request.commentType ?? (request.isAlert === true ? 'AA' : 'AC')
}

function createComment(context: RouteContext, input: PostInput): Reply {
  const parsed = createCommentSchema.safeParse(input.body)
  if (!parsed.success) throw badRequest('The comment is not valid.', issuesToErrors(parsed.error.issues))
  const { deps } = context
  const request = parsed.data
  const commentType = effectiveCommentType(request)
  const patientLevel = commentType === 'PC' || commentType === 'PA'
  const now = isoSeconds(deps.now())
  const comment: CommentRecord = {
    guid: deps.random.uuid(),
    commentType,
    appointmentId: patientLevel ? '' : input.appointment.id,
    patientId: input.appointment.seed.patientId,
    commentText: request.commentText,
    commentDateTime: request.commentDateTime ? isoSeconds(Date.parse(request.commentDateTime)) : now,
    isAlert: request.isAlert ?? (commentType === 'AA' || commentType === 'PA'),
    commentBy: integrationUser(principalOf(context).clientId),
    lastModifiedDateTime: now,
  }
  if (patientLevel) input.domain.patientComments(comment.patientId).push(comment)
  else input.appointment.comments.push(comment)
  deps.effects.record({
    kind: 'comment',
    domain: input.domain.name,
    appointmentId: input.appointment.id,
    idempotencyKey: input.idempotencyKey,
    payloadSha256: input.payloadSha256,
    guid: comment.guid,
  })
  deps.logger.info('comment created', { appointmentId: input.appointment.id, kind: commentType })
  return { status: 201, json: comment }
}

const BASE = `${APPOINTMENTS_BASE}/{appointmentId}/comments`

export const commentRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: BASE,
    auth: 'bearer',
    handle: (context): Reply => {
      const { domain, appointment } = context.deps.store.pendingAppointment(
        param(context, 'domain'),
        param(context, 'appointmentId'),
      )
      return { status: 200, json: domain.commentsFor(appointment) }
    },
  },
  {
    method: 'GET',
    template: `${BASE}/{commentGuid}`,
    auth: 'bearer',
    handle: (context): Reply => {
      const { domain, appointment } = context.deps.store.pendingAppointment(
        param(context, 'domain'),
        param(context, 'appointmentId'),
      )
      const guid = param(context, 'commentGuid')
      const comment = domain.commentsFor(appointment).find((c) => c.guid === guid)
      if (!comment) throw notFound('No such comment for this appointment.')
      return { status: 200, json: comment }
    },
  },
  {
    method: 'POST',
    template: BASE,
    auth: 'bearer',
    handle: (context) => idempotentPost(context, 'comments', (input) => createComment(context, input)),
  },
]
