import { QubsError } from './errors'

/**
 * The life of one API operation: the caller's signal, the client's own (closed → everything in flight
 * ends) and an overall deadline, merged into the one signal every request, body read, token wait and
 * retry sleep of the operation listens to. Per-phase timeouts alone let a server hold a call forever
 * (a body trickled a byte at a time never trips a body timeout); the deadline ends it whatever happens.
 *
 * The deadline runs on real time, not the injected clock: it bounds real sockets, and a test clock
 * that skips sleeps must not make every operation expire at once.
 */
/** What `endedWith` needs to know of the step the scope interrupted. */
export type StepFacts = Readonly<Pick<QubsError, 'notSent' | 'requestId'>>

/** The facts between two attempts: the next request has not left yet. */
export const NOTHING_SENT_YET: StepFacts = { notSent: true, requestId: undefined }

export class OperationScope {
  readonly #controller = new AbortController()
  readonly #callerSignal: AbortSignal | undefined
  readonly #clientSignal: AbortSignal
  readonly #deadlineAt: number
  readonly #timer: NodeJS.Timeout
  readonly #unlink: () => void
  #deadlinePassed = false

  constructor(deadlineMs: number, callerSignal: AbortSignal | undefined, clientSignal: AbortSignal) {
    this.#callerSignal = callerSignal
    this.#clientSignal = clientSignal
    this.#deadlineAt = performance.now() + deadlineMs
    const abort = (reason: unknown) => this.#controller.abort(reason)
    const onCaller = () => abort(callerSignal?.reason)
    const onClient = () => abort(clientSignal.reason)
    callerSignal?.addEventListener('abort', onCaller, { once: true })
    clientSignal.addEventListener('abort', onClient, { once: true })
    this.#unlink = () => {
      callerSignal?.removeEventListener('abort', onCaller)
      clientSignal.removeEventListener('abort', onClient)
    }
    if (callerSignal?.aborted) onCaller()
    else if (clientSignal.aborted) onClient()
    this.#timer = setTimeout(() => {
      this.#deadlinePassed = true
      abort(new QubsError({ kind: 'timeout', title: 'Operation deadline passed' }))
    }, deadlineMs)
    this.#timer.unref()
  }

  /** Aborted when the caller gives up, the client closes or the deadline passes. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** Milliseconds left before the deadline (0 once passed). */
  get remainingMs(): number {
    return Math.max(0, this.#deadlineAt - performance.now())
  }

  /**
   * The error that ends the operation when the scope was aborted, or undefined while it runs. `failure`
   * is what the interrupted step threw (or, between steps, `NOTHING_SENT_YET`): whether it knew nothing
   * had been sent is kept. Facts, not an error: the pipeline asks before every attempt, and building
   * an Error (its stack trace) for an answer that is almost always "still running" cost ≈ 80 µs per
   * page of the worklist walk (issue 14).
   */
  endedWith(failure: StepFacts, correlationId: string): QubsError | undefined {
    if (!this.#controller.signal.aborted) return undefined
    const notSent = failure.notSent
    if (this.#callerSignal?.aborted) {
      return new QubsError({ kind: 'aborted', notSent, correlationId, cause: this.#callerSignal.reason })
    }
    if (this.#clientSignal.aborted && !this.#deadlinePassed) {
      return new QubsError({ kind: 'aborted', title: 'Client closed', notSent, correlationId })
    }
    // A deadline is a timeout like any other: no answer in time, which may have been applied unless
    // nothing left the machine.
    return new QubsError({
      kind: 'timeout',
      title: 'Operation deadline passed',
      notSent,
      requestId: failure.requestId,
      correlationId,
    })
  }

  dispose(): void {
    clearTimeout(this.#timer)
    this.#unlink()
  }
}
