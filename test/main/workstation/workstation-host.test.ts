import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { AppCore } from '../../../src-main/core/app-core'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { demoDataDirFor } from '../../../src-main/workstation/open-workstation'
import { WorkstationHost } from '../../../src-main/workstation/workstation-host'
import {
  createDispatcher,
  invokeContract,
  type ConnectionSetup,
  type ConnectionTest,
  type Envelope,
  type InvokeName,
} from '../../../src-preload/contract'

/** Connection setup end to end: the host, the real core and two sandboxes on loopback (demo and "QUBS"). */
describe('WorkstationHost', () => {
  let dir: string
  let qubs: RunningSandbox
  let host: WorkstationHost | undefined
  const events: { event: string; payload: unknown }[] = []
  const sink = memorySink()
  const logger = createLogger('test', { sink })
  let vault: MemoryVault

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-host-'))
    qubs = await startSandbox({ appointments: 12, domains: ['acme'], clientSecret: 'acme-secret', seed: 5 })
    events.length = 0
    sink.records.length = 0
    vault = new MemoryVault()
  })
  afterEach(async () => {
    await host?.close()
    host = undefined
    await qubs.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function openHost(env: Record<string, string> = {}): Promise<WorkstationHost> {
    host = await WorkstationHost.open({
      dataDir: join(dir, 'data'),
      connectionFile: join(dir, 'connection.json'),
      vault,
      logger,
      env,
      shutdownTimeoutMs: 500,
      emit: (event, payload) => events.push({ event, payload }),
      createCore: (workstation, setup) =>
        new AppCore({
          name: 'QUBS Reporter',
          version: '0.0.0-test',
          mode: workstation.mode,
          runtime: { node: process.versions.node },
          logger,
          services: workstation.services,
          setup,
          emit: (event, payload) => events.push({ event, payload }),
        }),
    })
    return host
  }

  function call<T>(name: InvokeName, ...args: unknown[]): Promise<T> {
    return envelope(name, ...args).then((answer) => {
      if (!answer.ok) throw new Error(`${name}: ${answer.error.code} ${answer.error.message}`)
      return answer.value as T
    })
  }

  function envelope(name: InvokeName, ...args: unknown[]): Promise<Envelope> {
    return createDispatcher(host!.impl)(invokeContract[name].channel, structuredClone(args))
  }

  const acmeInput = (overrides: Record<string, unknown> = {}) => ({
    tokenUrl: qubs.tokenUrl,
    apiBaseUrl: qubs.apiBaseUrl,
    clientId: qubs.clientId,
    domains: ['acme'],
    clientSecret: 'acme-secret',
    ...overrides,
  })

  it('starts unconfigured on the demo sandbox, switches to QUBS and back in-process, events following', async () => {
    await openHost()
    const first = await call<ConnectionSetup>('getConnectionSetup')
    expect(first).toMatchObject({ mode: 'unconfigured', running: 'demo', firstRun: true, connection: null })
    expect((await call<{ mode: string }>('getAppInfo')).mode).toBe('demo')
    const demoTotal = (await call<{ total: number }>('refreshWorklist')).total
    expect(demoTotal).toBe((await host!.workstation.services.client!.walkPending()).length)

    const saved = await call<ConnectionSetup>('saveConnection', acmeInput())
    expect(saved).toMatchObject({
      mode: 'configured',
      running: 'configured',
      firstRun: false,
      connection: { apiBaseUrl: qubs.apiBaseUrl, domains: ['acme'], hasClientSecret: true },
      sources: { tokenUrl: 'user', clientSecret: 'user' },
    })
    expect(JSON.stringify(saved)).not.toContain('acme-secret')
    expect(await vault.getSecret('qubs.clientSecret')).toBe('acme-secret')
    expect(readFileSync(join(dir, 'connection.json'), 'utf8')).not.toContain('acme-secret')
    expect((await call<{ mode: string }>('getAppInfo')).mode).toBe('configured')
    const acmeTotal = (await call<{ total: number }>('refreshWorklist')).total
    expect(acmeTotal).toBe((await host!.workstation.services.client!.walkPending()).length)
    expect(acmeTotal).not.toBe(demoTotal)
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['connectionSetupChanged', 'connectivityChanged', 'worklistStale']),
    )

    const back = await call<ConnectionSetup>('useDemo')
    expect(back).toMatchObject({ mode: 'demo', running: 'demo', firstRun: false })
    expect((await call<{ mode: string }>('getAppInfo')).mode).toBe('demo')
    expect((await call<{ total: number }>('refreshWorklist')).total).toBe(demoTotal)
    expect(existsSync(demoDataDirFor(join(dir, 'data')))).toBe(true)
    // The real secret survives the demo (the sandbox's own stays in memory).
    expect(await vault.getSecret('qubs.clientSecret')).toBe('acme-secret')
  })

  it('opens the saved connection on the next start, and delivers through it', async () => {
    await openHost()
    await call('saveConnection', acmeInput())
    await host!.close()
    await openHost()
    expect(await call<ConnectionSetup>('getConnectionSetup')).toMatchObject({
      mode: 'configured',
      firstRun: false,
    })
    const { client, outbox, sync } = host!.workstation.services
    const [first] = await client!.walkPending()
    const entry = await outbox.enqueueReport('acme', first!.appointmentId, {
      reportText: 'Fine.',
      reportStatus: 'final',
    })
    expect(await sync!.drainUntilIdle({ timeoutMs: 20_000 })).toEqual({ idle: true, remaining: 0 })
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('parks a delivery in flight when it switches, within the bound, and resumes it on the way back', async () => {
    await openHost()
    await call('saveConnection', acmeInput())
    const [first] = await host!.workstation.services.client!.walkPending()
    qubs.admin.injectNext({ kind: 'hang', method: 'POST', path: '/report$', count: 1 })
    const entry = await host!.workstation.services.outbox.enqueueReport('acme', first!.appointmentId, {
      reportText: 'Parked.',
      reportStatus: 'final',
    })
    // The request is at the server and hangs there (not merely marked `sending` before it left).
    await expect.poll(() => qubs.admin.stats().faults['hang']).toBe(1)
    const started = Date.now()
    await call('useDemo')
    // Two bounded waits of 500 ms (deliveries, then connections) and the demo's start; never the hang.
    expect(Date.now() - started).toBeLessThan(5_000)
    await call('saveConnection', acmeInput({ clientSecret: undefined }))
    const { outbox, sync } = host!.workstation.services
    await sync!.drainUntilIdle({ timeoutMs: 20_000 })
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('shuts down within the bound with a delivery hanging, leaving it to resume on the next start', async () => {
    await openHost()
    await call('saveConnection', acmeInput())
    const [first] = await host!.workstation.services.client!.walkPending()
    qubs.admin.injectNext({ kind: 'hang', method: 'POST', path: '/report$', count: 1 })
    const entry = await host!.workstation.services.outbox.enqueueReport('acme', first!.appointmentId, {
      reportText: 'Parked at shutdown.',
      reportStatus: 'final',
    })
    // The request is at the server and hangs there (not merely marked `sending` before it left).
    await expect.poll(() => qubs.admin.stats().faults['hang']).toBe(1)
    const started = Date.now()
    await host!.close()
    expect(Date.now() - started).toBeLessThan(3_000)
    await openHost()
    await host!.workstation.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    expect(host!.workstation.services.outbox.get(entry.id)?.state).toBe('delivered')
  })

  it('never lets the stored secret fetch a token for another API base URL (the bearer would go there)', async () => {
    await openHost()
    await call('saveConnection', acmeInput())
    const elsewhere = await startSandbox({ appointments: 10 })
    try {
      const input = acmeInput({ apiBaseUrl: elsewhere.apiBaseUrl, clientSecret: undefined })
      for (const name of ['testConnection', 'saveConnection'] as const) {
        expect(await envelope(name, input)).toMatchObject({
          ok: false,
          error: { code: 'validation', message: expect.stringContaining('client secret') },
        })
      }
      expect(Object.keys(elsewhere.admin.stats().requests)).toEqual([])
    } finally {
      await elsewhere.close()
    }
  })

  it('never sends the stored secret to another token URL or for another client id', async () => {
    await openHost()
    await call('saveConnection', acmeInput())
    const elsewhere = await startSandbox({ appointments: 10, clientSecret: 'acme-secret' })
    try {
      for (const changed of [{ tokenUrl: elsewhere.tokenUrl }, { clientId: 'another-client' }]) {
        const input = acmeInput({ ...changed, clientSecret: undefined })
        for (const name of ['testConnection', 'saveConnection'] as const) {
          expect(await envelope(name, input)).toMatchObject({
            ok: false,
            error: { code: 'validation', message: expect.stringContaining('client secret') },
          })
        }
      }
      expect(elsewhere.admin.stats().requests['POST /oauth2/token']).toBeUndefined()
      // Unchanged token URL and client id: the stored secret is used.
      expect((await call<ConnectionTest>('testConnection', acmeInput({ clientSecret: undefined }))).ok).toBe(
        true,
      )
    } finally {
      await elsewhere.close()
    }
  })

  it('wakes the sync engine and asks the page for a fresh worklist on resume and network change', async () => {
    await openHost()
    events.length = 0
    host!.wake('resume')
    host!.wake('network')
    expect(events.filter((e) => e.event === 'worklistStale').map((e) => e.payload)).toEqual([
      { reason: 'resume' },
      { reason: 'network' },
    ])
  })

  it('tests a good connection with a throwaway client: a token and the first page of each domain', async () => {
    await openHost()
    const result = await call<ConnectionTest>('testConnection', acmeInput())
    expect(result.ok).toBe(true)
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['token', true],
      ['worklist', true],
    ])
    // Nothing changed: still the demo, no secret stored.
    expect((await call<ConnectionSetup>('getConnectionSetup')).mode).toBe('unconfigured')
    expect(await vault.getSecret('qubs.clientSecret')).toBeNull()
    await call('saveConnection', acmeInput())
    expect(result.worklistCount).toBe((await host!.workstation.services.client!.walkPending()).length)
  })

  it('explains a refused secret in plain words, with the request id', async () => {
    await openHost()
    const result = await call<ConnectionTest>('testConnection', acmeInput({ clientSecret: 'wrong' }))
    expect(result.ok).toBe(false)
    expect(result.steps).toEqual([expect.objectContaining({ name: 'token', ok: false })])
    expect(result.error?.message).toBe(
      'QUBS refused the client id or secret. Check both with the values QUBS gave you.',
    )
    expect(result.error?.requestId).toMatch(/.+/)
    expect(result.error?.status).toBe(401)
    expect(JSON.stringify(sink.records)).not.toContain('wrong')
  })

  it('explains a domain the client may not use, naming it, with the request and correlation ids', async () => {
    await openHost()
    const result = await call<ConnectionTest>('testConnection', acmeInput({ domains: ['acme', 'other'] }))
    expect(result.ok).toBe(false)
    expect(result.steps.map((s) => [s.name, s.domain, s.ok])).toEqual([
      ['token', undefined, true],
      ['worklist', 'acme', true],
      ['worklist', 'other', false],
    ])
    expect(result.error?.message).toBe(
      'QUBS refused the domain "other": it is not an allowed domain for this client id.',
    )
    expect(result.error).toMatchObject({
      status: 403,
      requestId: expect.any(String),
      correlationId: expect.any(String),
    })
  })

  it('explains an address where nothing listens', async () => {
    const port = await closedPort()
    await openHost()
    const result = await call<ConnectionTest>(
      'testConnection',
      acmeInput({ tokenUrl: `http://127.0.0.1:${port}/oauth2/token` }),
    )
    expect(result.ok).toBe(false)
    expect(result.error?.message).toBe(
      `QUBS could not be reached at http://127.0.0.1:${port}: the connection was refused. Check the address and the network.`,
    )
  })

  it('explains a token URL whose name does not resolve', async () => {
    await openHost()
    const result = await call<ConnectionTest>(
      'testConnection',
      acmeInput({ tokenUrl: 'https://qubs-token.invalid/oauth2/token' }),
    )
    expect(result.error?.message).toBe(
      'QUBS could not be reached at https://qubs-token.invalid: no server has that name. Check the address.',
    )
  })

  it('keeps the environment in charge: its fields are shown as such, a different value is refused by name', async () => {
    await openHost({
      QUBS_API_BASE_URL: qubs.apiBaseUrl,
      QUBS_TOKEN_URL: qubs.tokenUrl,
      QUBS_CLIENT_ID: qubs.clientId,
      QUBS_CLIENT_SECRET: 'acme-secret',
      QUBS_DOMAIN: 'acme',
    })
    const setup = await call<ConnectionSetup>('getConnectionSetup')
    expect(setup).toMatchObject({
      mode: 'configured',
      running: 'configured',
      sources: { tokenUrl: 'env', apiBaseUrl: 'env', clientId: 'env', domains: 'env', clientSecret: 'env' },
      envVariables: { domains: 'QUBS_DOMAIN', clientSecret: 'QUBS_CLIENT_SECRET' },
    })
    const refused = await envelope(
      'saveConnection',
      acmeInput({ domains: ['acme', 'other'], clientSecret: undefined }),
    )
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('QUBS_DOMAIN') },
    })
    expect(await envelope('useDemo')).toMatchObject({ ok: false, error: { code: 'refused' } })
  })

  it('refuses to save without any client secret, and a connection file it cannot read means first run', async () => {
    writeFileSync(join(dir, 'connection.json'), '{"version":1,"choice":"configured","fields":{"tokenUrl":7}}')
    await openHost()
    const missing = await envelope('saveConnection', acmeInput({ clientSecret: undefined }))
    expect(missing).toMatchObject({ ok: false, error: { code: 'validation' } })
    expect((await call<ConnectionSetup>('getConnectionSetup')).firstRun).toBe(true)
  })
})

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  return typeof address === 'object' && address ? address.port : 0
}
