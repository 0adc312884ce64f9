import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { ManualClock, seededRandom } from '../../../src-main/common/clock'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { QubsError, type QubsErrorInit } from '../../../src-main/core/api/errors'
import { parseConnectionSettings, type ConnectionSettings } from '../../../src-main/core/api/settings'
import { Outbox, type DeliveryPort } from '../../../src-main/core/outbox'
import { MemoryVault } from '../../../src-main/core/vault/vault'

/** Words that must never appear in logs, errors or snapshots: the test PHI. */
export const PHI = {
  reportText: 'Testpatient Alpha: no acute abnormality, marker-PHI-7731.',
  finalText: 'Testpatient Alpha FINAL: stable, marker-PHI-8842.',
  commentText: 'Call Testpatient Alpha back, marker-PHI-9953.',
  fileName: 'Testpatient-Alpha-marker-PHI-1064.pdf',
}
export const PHI_MARKERS = ['Testpatient', 'marker-PHI']

/** The connection the harness's outbox is bound to unless a test says otherwise (no host is ever called). */
export const TEST_CONNECTION: ConnectionSettings = parseConnectionSettings({
  tokenUrl: 'https://auth.test/oauth2/token',
  apiBaseUrl: 'https://api.test',
  clientId: 'test-client',
  domains: ['acme', 'demo', 'bench'],
})

export interface OpenOptions {
  readonly vault?: MemoryVault
  readonly seed?: number
  /** Default TEST_CONNECTION; null opens it without a connection. */
  readonly connection?: ConnectionSettings | null
  readonly mode?: 'demo' | 'configured'
}

export interface Harness {
  readonly dir: string
  readonly path: string
  readonly clock: ManualClock
  readonly vault: MemoryVault
  readonly sink: ReturnType<typeof memorySink>
  open(options?: OpenOptions): Promise<Outbox>
  cleanup(): void
}

/**
 * The usual per-test set-up: before each test a fresh harness and an open outbox, handed to `opened`;
 * after it, the outbox the test ended with (`current`: tests reopen it) is closed and the directory
 * removed.
 */
export function freshOutboxEachTest(
  opened: (h: Harness, outbox: Outbox) => void,
  current: () => Outbox,
): void {
  let fresh: Harness
  beforeEach(async () => {
    fresh = harness()
    opened(fresh, await fresh.open())
  })
  afterEach(() => {
    const outbox = current()
    if (!outbox.closed) outbox.close()
    fresh.cleanup()
  })
}

export function harness(seed = 1): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'qubs-outbox-'))
  const path = join(dir, 'outbox.sqlite')
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 8, 0, 0))
  const vault = new MemoryVault(Buffer.alloc(32, 9))
  const sink = memorySink()
  let opens = 0
  return {
    dir,
    path,
    clock,
    vault,
    sink,
    open: (options = {}) => {
      opens += 1
      return Outbox.open({
        path,
        vault: options.vault ?? vault,
        clock,
        random: seededRandom(options.seed ?? seed * 1000 + opens),
        connection: options.connection === undefined ? TEST_CONNECTION : options.connection,
        ...(options.mode ? { mode: options.mode } : {}),
        logger: createLogger('test', { sink, level: 'debug', now: () => clock.now() }),
      })
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export function qubsError(init: QubsErrorInit): QubsError {
  return new QubsError(init)
}

export type PortMethod =
  | 'submitReport'
  | 'createComment'
  | 'createReportAttachmentUrls'
  | 'uploadReportAttachment'
  | 'getAttachment'
  | 'downloadAttachment'

export interface PortCall {
  readonly method: PortMethod
  readonly domain?: string
  readonly appointmentId?: string
  readonly idempotencyKey?: string
  readonly input?: unknown
  readonly uploadUrl?: string
  readonly contentType?: string
  readonly byteLength?: number
  readonly attachmentGuid?: string
}

/** What a scripted call does: answer, throw, or wait until released or aborted. */
export type Step =
  | { readonly answer: unknown }
  | { readonly error: unknown }
  | { readonly hang: true }
  | { readonly gate: Promise<void>; readonly then?: Step }

/**
 * A scripted fake of the QUBS client. Each method takes the next scripted step for it (default: a
 * plausible success), records the call, and tracks how many calls are in flight at once.
 */
export class ScriptedPort implements DeliveryPort {
  readonly calls: PortCall[] = []
  readonly #script = new Map<PortMethod, Step[]>()
  #inFlight = 0
  maxInFlight = 0
  #urlCounter = 0
  urlTtlMs = 15 * 60_000
  /** How the fake server writes `uploadUrlExpiresAtUtc` (default: ISO 8601 in UTC with `Z`). */
  formatExpiry: (at: number) => string = (at) => new Date(at).toISOString()
  /** Attachment GUIDs whose content reached "storage" (a PUT answered with success lands its GUID). */
  readonly landed = new Set<string>()
  /**
   * GUID → the bytes last PUT to its URL (recorded when the PUT is made, whatever its answer): what
   * storage holds once the GUID is `landed`. A test may overwrite it to make storage hold other bytes.
   */
  readonly sentBytes = new Map<string, Uint8Array>()
  /** Upload URL → the GUID it was issued for. */
  readonly guidOfUrl = new Map<string, string>()
  readonly #clock: { now(): number }

  constructor(clock: { now(): number }) {
    this.#clock = clock
  }

  script(method: PortMethod, ...steps: Step[]): this {
    this.#script.set(method, [...(this.#script.get(method) ?? []), ...steps])
    return this
  }

  get inFlight(): number {
    return this.#inFlight
  }

  submitReport(
    domain: string,
    appointmentId: string,
    input: unknown,
    options: { idempotencyKey: string; signal?: AbortSignal },
  ) {
    this.calls.push({
      method: 'submitReport',
      domain,
      appointmentId,
      idempotencyKey: options.idempotencyKey,
      input,
    })
    return this.#run('submitReport', options.signal, () => ({ reportGuid: `rg-${options.idempotencyKey}` }))
  }

  createComment(
    domain: string,
    appointmentId: string,
    input: unknown,
    options: { idempotencyKey: string; signal?: AbortSignal },
  ) {
    this.calls.push({
      method: 'createComment',
      domain,
      appointmentId,
      idempotencyKey: options.idempotencyKey,
      input,
    })
    return this.#run('createComment', options.signal, () => ({ guid: `cg-${options.idempotencyKey}` }))
  }

  createReportAttachmentUrls(
    domain: string,
    appointmentId: string,
    items: readonly { fileName: string; contentType: string }[],
    options: { idempotencyKey: string; signal?: AbortSignal },
  ) {
    this.calls.push({
      method: 'createReportAttachmentUrls',
      domain,
      appointmentId,
      idempotencyKey: options.idempotencyKey,
      input: items,
    })
    return this.#run('createReportAttachmentUrls', options.signal, () => {
      this.#urlCounter += 1
      return {
        items: items.map((item) => {
          const guid = `ag-${options.idempotencyKey}`
          const uploadUrl = `https://upload.test/${options.idempotencyKey}/${this.#urlCounter}`
          this.guidOfUrl.set(uploadUrl, guid)
          return {
            guid,
            fileName: item.fileName,
            uploadUrl,
            uploadUrlExpiresAtUtc: this.formatExpiry(this.#clock.now() + this.urlTtlMs),
          }
        }),
      }
    })
  }

  uploadReportAttachment(request: {
    uploadUrl: string
    bytes: Uint8Array
    contentType: string
    signal?: AbortSignal
  }) {
    this.calls.push({
      method: 'uploadReportAttachment',
      uploadUrl: request.uploadUrl,
      contentType: request.contentType,
      byteLength: request.bytes.byteLength,
    })
    const target = this.guidOfUrl.get(request.uploadUrl)
    if (target !== undefined) this.sentBytes.set(target, Uint8Array.from(request.bytes))
    return this.#run('uploadReportAttachment', request.signal, () => {
      const guid = this.guidOfUrl.get(request.uploadUrl)
      if (guid !== undefined) this.landed.add(guid)
      return { status: 200, size: request.bytes.byteLength }
    })
  }

  /** Like QUBS: the metadata of an attachment, its `url` null until its content was uploaded. */
  getAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: { signal?: AbortSignal },
  ) {
    this.calls.push({ method: 'getAttachment', domain, appointmentId, attachmentGuid })
    return this.#run('getAttachment', options.signal, () => ({
      guid: attachmentGuid,
      category: 'report',
      url: this.landed.has(attachmentGuid) ? `https://download.test/${attachmentGuid}` : null,
    }))
  }

  /** The content behind the attachment's presigned URL: what storage holds, 404 while it holds nothing. */
  downloadAttachment(
    domain: string,
    appointmentId: string,
    attachmentGuid: string,
    options: { signal?: AbortSignal; maxBytes?: number },
  ) {
    this.calls.push({ method: 'downloadAttachment', domain, appointmentId, attachmentGuid })
    return this.#run('downloadAttachment', options.signal, () => {
      const bytes = this.landed.has(attachmentGuid) ? this.sentBytes.get(attachmentGuid) : undefined
      if (bytes === undefined) throw new QubsError({ kind: 'http', status: 404 })
      return {
        bytes: Buffer.from(bytes),
        contentType: 'application/pdf',
        fileName: 'r.pdf',
        size: bytes.length,
      }
    })
  }

  callsOf(method: PortMethod): PortCall[] {
    return this.calls.filter((call) => call.method === method)
  }

  async #run(method: PortMethod, signal: AbortSignal | undefined, success: () => unknown): Promise<unknown> {
    this.#inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight)
    try {
      let step = this.#script.get(method)?.shift()
      while (step !== undefined && 'gate' in step) {
        await Promise.race([step.gate, aborted(signal)])
        step = step.then
      }
      // Always yield once, like a real request would.
      await Promise.resolve()
      if (step === undefined) return success()
      if ('answer' in step) return step.answer
      if ('error' in step) throw step.error
      await aborted(signal)
      return undefined
    } finally {
      this.#inFlight -= 1
    }
  }
}

function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new QubsError({ kind: 'aborted' }))
    if (signal?.aborted) fail()
    else signal?.addEventListener('abort', fail, { once: true })
  })
}

/** A promise and its resolver, for gating scripted calls. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

/** Lets pending promise callbacks run (several microtask and macrotask turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve))
}
