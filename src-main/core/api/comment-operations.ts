import {
  APPOINTMENTS,
  appointmentPath,
  enc,
  idempotencyKey,
  pathId,
  type CallOptions,
  type OperationContext,
  type PostOptions,
} from './operation-context'
import { orAnswerUnreadable, type AnswerUnreadable } from './applied-answer'
import { itemBoundToDomain, itemsBoundToDomain } from './domain-binding'
import { CommentListSchema, CommentSchema, type Comment } from './schemas'
import { CommentInputSchema, validateInput, type CommentInput } from './validation'

/** An appointment's comments: reading them and adding one. */
export function listComments(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  options: Readonly<CallOptions>,
): Promise<Comment[]> {
  return context.get(domain, (d) => ({
    route: `${APPOINTMENTS}/{appointmentId}/comments`,
    path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/comments`,
    schema: CommentListSchema,
    check: itemsBoundToDomain(d),
    signal: options.signal,
  }))
}

export function getComment(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  commentGuid: string,
  options: Readonly<CallOptions>,
): Promise<Comment> {
  return context.get(domain, (d) => ({
    route: `${APPOINTMENTS}/{appointmentId}/comments/{commentGuid}`,
    path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/comments/${enc(pathId('commentGuid', commentGuid))}`,
    schema: CommentSchema,
    check: itemBoundToDomain(d),
    signal: options.signal,
  }))
}

export function createComment(
  context: OperationContext,
  domain: string,
  appointmentId: string,
  input: CommentInput,
  options: Readonly<PostOptions>,
): Promise<Comment | AnswerUnreadable> {
  return orAnswerUnreadable(
    context.post(domain, (d) => ({
      route: `${APPOINTMENTS}/{appointmentId}/comments`,
      path: `${appointmentPath(d, pathId('appointmentId', appointmentId))}/comments`,
      body: validateInput(CommentInputSchema, input),
      idempotencyKey: idempotencyKey(options),
      schema: CommentSchema,
      check: itemBoundToDomain(d),
      signal: options.signal,
    })),
  )
}
