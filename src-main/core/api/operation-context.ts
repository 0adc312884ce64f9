import type { Logger } from '../../common/logger'
import { QubsError } from './errors'
import type { ApiRequest, HttpPipeline } from './http-pipeline'
import { transportToError } from './problem'
import { IdempotencyKeySchema, PathIdSchema, validateInput } from './validation'

/**
 * What the operation groups behind QubsClient share: the request pipeline, the configured domains, and
 * the checks every public operation makes before it sends — the client is still open, the domain is one
 * of ours, the inputs are valid — so that whatever escapes an operation is a QubsError.
 */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined
}

export interface PostOptions extends CallOptions {
  /** Minted once per payload by the caller and reused for every resend of it. */
  readonly idempotencyKey: string
}

export interface OperationContextOptions {
  readonly pipeline: HttpPipeline
  readonly domains: readonly string[]
  readonly logger: Logger
  /** Whether the client has been closed; operations then fail with kind 'aborted'. */
  readonly isClosed: () => boolean
}

/** Builds a JSON request once its domain has been checked, validating the rest of the input as it goes. */
export type DomainRequest<T> = (domain: string) => Omit<ApiRequest<T>, 'method'>

export const APPOINTMENTS = '/{domain}/reporting/appointments'

export class OperationContext {
  readonly #pipeline: HttpPipeline
  readonly #domains: readonly string[]
  readonly #log: Logger
  readonly #isClosed: () => boolean

  constructor(options: Readonly<OperationContextOptions>) {
    this.#pipeline = options.pipeline
    this.#domains = options.domains
    this.#log = options.logger
    this.#isClosed = options.isClosed
  }

  get pipeline(): HttpPipeline {
    return this.#pipeline
  }

  /** The configured domains. */
  get domains(): readonly string[] {
    return this.#domains
  }

  get logger(): Logger {
    return this.#log
  }

  /** Runs an operation so that whatever escapes is a QubsError. */
  async guard<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#isClosed()) throw new QubsError({ kind: 'aborted', title: 'Client closed' })
    try {
      return await operation()
    } catch (error) {
      throw transportToError(error, undefined)
    }
  }

  domain(domain: string): string {
    if (!this.#domains.includes(domain)) {
      throw new QubsError({
        kind: 'validation',
        issues: { domain: ['domain is not one of the configured domains'] },
      })
    }
    return domain
  }

  /** A guarded GET on one of the configured domains; resolves to the validated body. */
  get<T>(domain: string, request: DomainRequest<T>): Promise<T> {
    return this.#send('GET', domain, request)
  }

  /** A guarded POST on one of the configured domains; resolves to the validated body. */
  post<T>(domain: string, request: DomainRequest<T>): Promise<T> {
    return this.#send('POST', domain, request)
  }

  #send<T>(method: ApiRequest<T>['method'], domain: string, request: DomainRequest<T>): Promise<T> {
    return this.guard(async () => {
      const { data } = await this.#pipeline.requestJson({ ...request(this.domain(domain)), method })
      return data
    })
  }
}

export function pathId(what: string, value: string): string {
  return validateInput(PathIdSchema(what), value, what)
}

export function idempotencyKey(options: Readonly<PostOptions> | undefined): string {
  return validateInput(IdempotencyKeySchema, options?.idempotencyKey, 'idempotencyKey')
}

export function enc(segment: string): string {
  return encodeURIComponent(segment)
}

export function appointmentPath(domain: string, appointmentId: string): string {
  return `/${enc(domain)}/reporting/appointments/${enc(appointmentId)}`
}
