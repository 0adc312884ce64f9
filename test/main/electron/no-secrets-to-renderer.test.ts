import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { eventContract, invokeContract } from '../../../src-preload/contract'
import { startCoreOnSandbox, type CoreOnSandbox } from '../../support/core-on-sandbox'

/**
 * The renderer never receives the client secret or a token. Two proofs: no result or event schema
 * has a field that could carry one (main checks every result against its schema before answering,
 * so a field outside the schema never reaches the page), and a live run of every capability through
 * the real dispatcher on the sandbox, with every answer and event searched for the secret and tokens.
 */
const CREDENTIAL_FIELD = /secret|token|password|passwd|authori[sz]ation|bearer|credential|cookie/i
/**
 * Fields whose names match but that cannot hold a credential, each with its reason: the token
 * endpoint's address (shown on the connection form) and whether a secret is stored (a boolean).
 */
const NOT_CREDENTIALS: Readonly<Record<string, string>> = {
  tokenUrl: 'the address of the token endpoint, not a token',
  hasClientSecret: 'a boolean: whether a secret is stored, never the secret',
}
/** A JWT (header.payload.signature, base64url): the sandbox's access and refresh tokens look like this. */
const JWT = /eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]{10,}/

/** Every object key a zod 4 schema can produce, with its path. */
function fieldPaths(schema: z.ZodType, path = '$', seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return []
  seen.add(schema)
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def
  const walk = (inner: unknown, at: string) => fieldPaths(inner as z.ZodType, at, seen)
  switch (def['type']) {
    case 'object': {
      const shape = def['shape'] as Record<string, unknown>
      return Object.entries(shape).flatMap(([key, inner]) => [
        `${path}.${key}`,
        ...walk(inner, `${path}.${key}`),
      ])
    }
    case 'array':
      return walk(def['element'], `${path}[]`)
    case 'tuple':
      return (def['items'] as unknown[]).flatMap((item, i) => walk(item, `${path}[${i}]`))
    case 'union':
      return (def['options'] as unknown[]).flatMap((option) => walk(option, path))
    case 'intersection':
      return [...walk(def['left'], path), ...walk(def['right'], path)]
    case 'record':
      return [...walk(def['keyType'], `${path}{key}`), ...walk(def['valueType'], `${path}{}`)]
    case 'pipe':
      return [...walk(def['in'], path), ...walk(def['out'], path)]
    case 'lazy':
      return walk((def['getter'] as () => unknown)(), path)
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return walk(def['innerType'], path)
    default:
      return []
  }
}

describe('what the renderer can be sent', () => {
  it('has no result or event field that could carry a secret or a token', () => {
    const paths = [
      ...Object.entries(invokeContract).flatMap(([name, spec]) => fieldPaths(spec.result, name)),
      ...Object.entries(eventContract).flatMap(([name, spec]) => fieldPaths(spec.payload, `event:${name}`)),
    ]
    // The walk reaches the fields (otherwise this test could not fail).
    expect(paths).toContain('getAppointment.appointmentId')
    expect(paths).toContain('event:settingsChanged.settings.privacy.contentProtection')
    const named = paths.filter((p) => CREDENTIAL_FIELD.test(p.split('.').at(-1)!))
    expect(named.filter((p) => NOT_CREDENTIALS[p.split('.').at(-1)!] === undefined)).toEqual([])
    // The exemptions are of the type their reason says, so a secret cannot hide behind one of them.
    expect(fieldPaths(invokeContract.getConnectionSetup.result, 'setup')).toContain(
      'setup.connection.hasClientSecret',
    )
    const setupShape = (invokeContract.getConnectionSetup.result as unknown as z.ZodObject).shape
    const connection = (setupShape['connection'] as unknown as { unwrap(): z.ZodObject }).unwrap()
    expect(connection.shape['hasClientSecret']!.safeParse('a-secret').success).toBe(false)
    expect(connection.shape['tokenUrl']!.safeParse('not a url').success).toBe(false)
  })

  it('finds such a field when one is there', () => {
    const spec = invokeContract.getAppInfo.result as unknown as z.ZodObject
    expect(fieldPaths(spec.extend({ accessToken: spec.shape['name']! }), 'x')).toContain('x.accessToken')
  })
})

describe('a live run of every capability on the sandbox', () => {
  let app: CoreOnSandbox
  let freshToken: string
  const answers: unknown[] = []

  beforeAll(async () => {
    app = await startCoreOnSandbox({ sandbox: { appointments: 10 } })
    const { tokenUrl, clientId, clientSecret } = app.sandbox.current
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    })
    freshToken = ((await response.json()) as { access_token: string }).access_token
  })
  afterAll(async () => {
    await app?.close()
  })

  async function call(
    name: keyof typeof invokeContract,
    args: unknown[],
  ): Promise<{ ok: boolean; value?: unknown }> {
    const envelope = (await app.dispatch(invokeContract[name].channel, args)) as {
      ok: boolean
      value?: unknown
    }
    answers.push({ name, envelope })
    return envelope
  }

  it('answers without the client secret or any token', async () => {
    const { clientSecret } = app.sandbox.current
    const called = new Set<string>()
    const run = async (name: keyof typeof invokeContract, args: unknown[]) => {
      called.add(name)
      return call(name, args)
    }
    await run('getAppInfo', [])
    await run('getConnectivity', [])
    await run('getCacheKey', [])
    await run('listSites', [])
    const refresh = await run('refreshWorklist', [])
    expect(refresh.ok).toBe(true)
    const { refreshId } = refresh.value as { refreshId: string }
    const chunk = await run('getWorklistChunk', [refreshId, 0])
    const [first] = (chunk.value as { items: { domain: string; appointmentId: string }[] }).items
    expect(first).toBeDefined()
    const key = [first!.domain, first!.appointmentId]
    await run('getAppointment', key)
    await run('listComments', key)
    const queued = await run('enqueueComment', [
      ...key,
      { commentText: 'Canary comment for the secrets test', isAlert: false },
    ])
    expect(queued.ok).toBe(true)
    await run('listAttachments', key)
    // The first appointment with a file: its bytes go through the same answers.
    const items = (chunk.value as { items: { domain: string; appointmentId: string }[] }).items
    for (const item of items) {
      const listed = await call('listAttachments', [item.domain, item.appointmentId])
      const [attachment] = (listed.value as { guid: string }[] | undefined) ?? []
      if (!attachment) continue
      const download = await run('downloadAttachment', [item.domain, item.appointmentId, attachment.guid])
      if (!download.ok) continue
      await run('getAttachmentChunk', [(download.value as { downloadId: string }).downloadId, 0])
      break
    }
    await run('listOutbox', [])
    // Whatever state the entry reached (delivered already or not), each outbox action answers something.
    const entry = queued.value as { id: string }
    await run('retryOutboxEntry', [entry.id])
    await run('exportOutboxEntry', [entry.id])
    await run('getSettings', [])
    await run('updateSettings', [{ privacy: { contentProtection: true } }])
    await run('syncNow', [])
    await run('enqueueReport', [
      ...key,
      {
        reportText: 'Canary report for the secrets test',
        reportStatus: 'preliminary',
        clinician: { name: 'Dr Canary', providerNumber: '1234567A', email: '' },
        reportedAtUtc: new Date().toISOString(),
      },
    ])
    await run('enqueueReportAttachment', [
      ...key,
      {
        fileName: 'report.pdf',
        contentType: 'application/pdf',
        bytes: new TextEncoder().encode('%PDF-1.4\n%%EOF\n'),
      },
    ])
    const { tokenUrl, apiBaseUrl, clientId } = app.sandbox.current
    const input = { tokenUrl, apiBaseUrl, clientId, clientSecret, domains: ['demo'] }
    // Without a setup port these answer `unavailable`; with one (the desktop tests) they are the same code.
    await run('getConnectionSetup', [])
    await run('testConnection', [input])
    await run('saveConnection', [input])
    await run('useDemo', [])
    await run('openImageViewer', key)
    await run('getSupportInfo', [])
    await run('exportDiagnostics', [])
    await run('discardOutboxEntry', [entry.id])
    await run('logFromRenderer', [{ level: 'info', scope: 'shell', message: 'worklist shown' }])
    // Last: it replaces the renderer's cache key (the answer names what went, never a key).
    await run('wipeLocalData', [{ includeOutbox: false }])
    // Every capability of the contract was called at least once.
    expect(Object.keys(invokeContract).filter((name) => !called.has(name))).toEqual([])

    const everything = JSON.stringify({ answers, events: app.events }, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    )
    expect(clientSecret.length).toBeGreaterThan(8)
    expect(freshToken).toMatch(JWT)
    expect(everything).not.toContain(clientSecret)
    expect(everything).not.toContain(freshToken.split('.')[0]! + '.' + freshToken.split('.')[1]!.slice(0, 8))
    expect(everything).not.toMatch(JWT)
    expect(everything).not.toMatch(/bearer /i)
  })
})
