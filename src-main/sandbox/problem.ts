/**
 * RFC 7807 problem details, the one error shape of the QUBS API. Handlers throw `HttpProblem`; the
 * server turns it into `application/problem+json` with the request's path as `instance` and its
 * `requestId`. Details are built from ids, codes, sizes and statuses only: never from what the caller
 * sent (report or comment text, names), so a problem can be logged or shown without leaking PHI.
 */
export const PROBLEM_TYPE_BASE = 'https://qubs-sandbox.invalid/problems/'

export interface ProblemInit {
  readonly status: number
  /** Short slug that becomes the `type` URI, e.g. 'not-found'. */
  readonly type: string
  readonly title: string
  readonly detail: string
  /** Validation errors: field path → messages. */
  readonly errors?: Readonly<Record<string, readonly string[]>>
  /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
  readonly headers?: Readonly<Record<string, string>>
  /** Extension members (e.g. the OAuth `error` code at the token endpoint). */
  readonly extensions?: Readonly<Record<string, string>>
}

export class HttpProblem extends Error {
  readonly init: ProblemInit

  constructor(init: ProblemInit) {
    super(`${init.status} ${init.type}`)
    this.name = 'HttpProblem'
    this.init = init
  }
}

export interface ProblemBody {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly instance: string
  readonly requestId: string
  readonly errors?: Readonly<Record<string, readonly string[]>>
  readonly [extension: string]: unknown
}

export function problemBody(init: ProblemInit, instance: string, requestId: string): ProblemBody {
  return {
    ...init.extensions,
    type: `${PROBLEM_TYPE_BASE}${init.type}`,
    title: init.title,
    status: init.status,
    detail: init.detail,
    instance,
    requestId,
    ...(init.errors ? { errors: init.errors } : {}),
  }
}

export const notFound = (detail: string): HttpProblem =>
  new HttpProblem({ status: 404, type: 'not-found', title: 'Not Found', detail })

export const badRequest = (
  detail: string,
  errors?: Readonly<Record<string, readonly string[]>>,
): HttpProblem =>
  new HttpProblem({
    status: 400,
    type: 'validation',
    title: 'Bad Request',
    detail,
    ...(errors ? { errors } : {}),
  })

/** Turns zod issues into the `errors` map: path → messages. Messages are zod's, never the input value. */
export function issuesToErrors(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  for (const issue of issues) {
    const key = issue.path.length === 0 ? '$' : issue.path.map(String).join('.')
    ;(errors[key] ??= []).push(issue.message)
  }
  return errors
}

/**
 * An id from the path, fit to quote in a detail: ids are not PHI, but a path segment could be
 * anything, so only id-shaped values are quoted.
 */
export function quoteId(value: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(value) ? `'${value}'` : '(unprintable id)'
}
