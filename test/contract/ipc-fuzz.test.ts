import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeContract, type Envelope, type InvokeName } from '../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../support/core-on-sandbox'

/**
 * IPC under attack: every channel of the contract, through the REAL dispatcher over a real AppCore on the
 * sandbox with a real outbox, is sent malformed, oversized, wrong-typed, extra-item and extra-field
 * arguments. Each must be refused as `invalid-arguments` without echoing the payload, with nothing changed
 * in the outbox, at QUBS (the sandbox's committed effects) or in main's caches, and the dispatcher must
 * keep answering valid calls.
 */
const CANARY = 'Zelda Quartermain-Canary'
const CANARY_KEY = 'canaryFieldQuartermain'

let app: CoreOnSandbox
let valid: Record<InvokeName, unknown[]>
const names = Object.keys(invokeContract) as InvokeName[]

function dispatch(name: InvokeName, args: unknown): Promise<Envelope> {
  return app.dispatch(invokeContract[name].channel, args)
}

beforeAll(async () => {
  app = await startCoreOnSandbox({ sandbox: { appointments: 10 }, startSync: false })
  const refresh = await dispatch('refreshWorklist', [])
  if (!refresh.ok) throw new Error(`refresh failed: ${refresh.error.code}`)
  const { refreshId } = refresh.value as { refreshId: string }
  const chunk = await dispatch('getWorklistChunk', [refreshId, 0])
  if (!chunk.ok) throw new Error('chunk failed')
  const [first] = (chunk.value as { items: { domain: string; appointmentId: string }[] }).items
  if (!first) throw new Error('the sandbox served no appointment')
  const key = [first.domain, first.appointmentId]
  // One well-formed call per capability: the base every malformed variant is derived from.
  valid = {
    getAppInfo: [],
    getConnectivity: [],
    getCacheKey: [],
    refreshWorklist: [],
    getWorklistChunk: [refreshId, 0],
    listSites: [],
    getAppointment: key,
    listComments: key,
    enqueueComment: [...key, { commentText: 'a fuzz comment', isAlert: false }],
    listAttachments: key,
    downloadAttachment: [...key, 'guid-1'],
    getAttachmentChunk: ['download-1', 0],
    listOutbox: [],
    retryOutboxEntry: ['entry-1'],
    exportOutboxEntry: ['entry-1'],
    discardOutboxEntry: ['entry-1'],
    getSettings: [],
    updateSettings: [{ privacy: { retentionDays: 7 } }],
    syncNow: [],
    logFromRenderer: [
      { level: 'warn', scope: 'shell', message: 'refresh failed', fields: { code: 'network' } },
    ],
    wipeLocalData: [{ includeOutbox: false }],
    enqueueReport: [
      ...key,
      {
        reportText: 'a fuzz report',
        reportStatus: 'preliminary',
        clinician: { name: 'Dr Fuzz', providerNumber: '1234567A', email: '' },
        reportedAtUtc: '2026-12-01T10:00:00.000Z',
      },
    ],
    enqueueReportAttachment: [
      ...key,
      {
        fileName: 'report.pdf',
        contentType: 'application/pdf',
        bytes: new TextEncoder().encode('%PDF-1.4\n'),
      },
    ],
    getConnectionSetup: [],
    testConnection: [
      {
        tokenUrl: 'http://127.0.0.1:9/oauth2/token',
        apiBaseUrl: 'http://127.0.0.1:9',
        clientId: 'fuzz-client',
        clientSecret: 'fuzz-secret',
        domains: ['demo'],
      },
    ],
    saveConnection: [
      {
        tokenUrl: 'http://127.0.0.1:9/oauth2/token',
        apiBaseUrl: 'http://127.0.0.1:9',
        clientId: 'fuzz-client',
        clientSecret: 'fuzz-secret',
        domains: ['demo'],
      },
    ],
    useDemo: [],
    openImageViewer: key,
    getSupportInfo: [],
    exportDiagnostics: [],
  } satisfies Record<InvokeName, unknown[]>
  for (const name of names) expect(invokeContract[name].args.safeParse(valid[name]).success, name).toBe(true)
  // One queued entry (the sync engine is not started), so "unchanged" covers an existing row too.
  const queued = await dispatch('enqueueComment', valid.enqueueComment)
  if (!queued.ok) throw new Error(`enqueue failed: ${queued.error.code}`)
}, 30_000)

afterAll(async () => {
  await app?.close()
})

/** Junk of every kind a hostile or broken page could send, the canary mixed into its strings. */
const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(NaN, Infinity, -Infinity, -0, null, undefined, true, 2 ** 53, -1, 1.5),
    fc.string().map((s) => `${s}${CANARY}`),
    fc.constant(`${CANARY} `.repeat(200_000)),
    fc.uint8Array({ maxLength: 64 }),
    fc.constant(new Float64Array([NaN, 1])),
    fc.constant(JSON.parse(`{"__proto__":{"polluted":"${CANARY}"},"constructor":{"prototype":{"x":1}}}`)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', CANARY_KEY)),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value

/** Malformed argument lists derived from a valid one: wrong shape, a replaced item, extra items or keys. */
function malformed(name: InvokeName): fc.Arbitrary<unknown> {
  const base = valid[name]
  const replaced = base.length
    ? fc
        .tuple(fc.nat({ max: base.length - 1 }), junk)
        .map(([at, item]) => base.map((v, i) => (i === at ? item : v)))
    : fc.constant([CANARY])
  return fc.oneof(
    junk.filter((value) => !Array.isArray(value)),
    fc.array(junk, { maxLength: 5 }),
    replaced,
    junk.map((item) => [...base, item]),
    fc
      .dictionary(fc.string({ minLength: 1 }), junk, { minKeys: 1, maxKeys: 3 })
      .map((extra) => withExtraKeys(base, extra)),
  )
}

/** The same arguments with extra keys in every object (top-level items and nested ones). */
function withExtraKeys(value: unknown, extra: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.length ? value.map((v) => withExtraKeys(v, extra)) : [extra]
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = withExtraKeys(v, extra)
    return { ...extra, ...out, [CANARY_KEY]: CANARY }
  }
  return value
}

/** What a refusal must never change: the outbox, QUBS's committed effects, main's worklist cache. */
async function observable(): Promise<string> {
  const outbox = await dispatch('listOutbox', [])
  const effects = app.sandbox.current.admin.effects()
  return JSON.stringify({ outbox, effects, rows: app.services.outbox.list() })
}

describe('IPC under attack (the real dispatcher over AppCore on the sandbox)', () => {
  it('refuses extra tuple items on every channel', async () => {
    for (const name of names) {
      const answer = await dispatch(name, [...valid[name], CANARY])
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    }
  })

  it('refuses extra keys in every object argument (strict objects), without naming them', async () => {
    for (const name of names) {
      if (!valid[name].some((arg) => arg !== null && typeof arg === 'object')) continue
      const answer = await dispatch(name, withExtraKeys(valid[name], {}))
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
      expect(JSON.stringify(answer), name).not.toContain(CANARY_KEY)
    }
  })

  it('refuses an unknown field inside a settings section (it would be saved to disk as it came)', async () => {
    const answer = await dispatch('updateSettings', [{ privacy: { retentionDays: 7, [CANARY_KEY]: CANARY } }])
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
    expect(JSON.stringify(answer)).not.toContain('Quartermain')
  })

  it('refuses random malformed arguments on every channel with a clear message, changing nothing', async () => {
    const before = await observable()
    const pollutedBefore = ({} as Record<string, unknown>)['polluted']
    for (const name of names) {
      await fc.assert(
        fc.asyncProperty(malformed(name), async (args) => {
          fc.pre(!invokeContract[name].args.safeParse(args).success)
          const answer = await dispatch(name, args)
          expect(answer.ok).toBe(false)
          if (answer.ok) return
          expect(answer.error.code).toBe('invalid-arguments')
          expect(answer.error.message).toMatch(new RegExp(`^${name}: `))
          expect(answer.error.message.length).toBeLessThan(2_000)
          expect(answer.error.message).not.toContain('Quartermain')
        }),
        { numRuns: 40, seed: 12 },
      )
    }
    expect(({} as Record<string, unknown>)['polluted']).toBe(pollutedBefore)
    expect(await observable()).toBe(before)
    // Still answering valid calls, with the cached worklist intact.
    await expect(dispatch('getAppInfo', [])).resolves.toMatchObject({ ok: true })
    await expect(dispatch('getWorklistChunk', valid.getWorklistChunk)).resolves.toMatchObject({ ok: true })
    expect(app.logs.records.map((r) => JSON.stringify(r)).join('\n')).not.toContain('Quartermain')
  }, 120_000)
})
