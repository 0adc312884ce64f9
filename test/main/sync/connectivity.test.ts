import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { AppCore } from '../../../src-main/core/app-core'
import { ReporterServices } from '../../../src-main/core/reporter-services'
import { sendJson, sendProblem, startTestApi, TEST_CLIENT_ID, type TestApi } from '../api/support'

/**
 * Connectivity tells the truth, from real outcomes of every call (worklist reads included, not only
 * outbox drains): `online` when QUBS answered, `offline` when it could not be reached,
 * `credentials-refused` when the token endpoint refused the client or QUBS refused the domain,
 * `unknown` before anything was tried — with the last success and the last attempt.
 */
let api: TestApi | undefined
let services: ReporterServices | undefined
let dir: string | undefined
afterEach(async () => {
  await services?.close()
  services = undefined
  await api?.close()
  api = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function open(apiBaseUrl?: string, tokenUrl?: string): Promise<ReporterServices> {
  dir = mkdtempSync(join(tmpdir(), 'qubs-connectivity-'))
  services = await ReporterServices.open({
    dataDir: dir,
    vault: api!.vault,
    connection: {
      tokenUrl: tokenUrl ?? `${api!.server.origin}/oauth2/token`,
      apiBaseUrl: apiBaseUrl ?? api!.server.origin,
      clientId: TEST_CLIENT_ID,
      domains: ['acme'],
    },
    logger: silentLogger,
  })
  return services
}

const emptyPage = { items: [] }

describe('connectivity', () => {
  it('is unknown before anything was tried', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, emptyPage))
    const opened = await open()
    expect(opened.sync?.connectivity).toEqual({ state: 'unknown', lastSuccessAt: null, lastAttemptAt: null })
  })

  it('a worklist fetch that succeeds makes it online, with the last success', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, emptyPage))
    const opened = await open()
    const before = Date.now()
    await opened.client!.walkPending()
    const state = opened.sync!.connectivity
    expect(state.state).toBe('online')
    expect(state.lastSuccessAt).toBeGreaterThanOrEqual(before)
    expect(state.lastAttemptAt).toBe(state.lastSuccessAt)
  })

  it('a wrong secret makes it credentials-refused, from a worklist fetch and from a drain', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, emptyPage))
    await api.vault.setSecret('qubs.clientSecret', 'not-the-secret')
    const opened = await open()
    await expect(opened.client!.walkPending()).rejects.toMatchObject({ kind: 'auth' })
    expect(opened.sync!.connectivity).toMatchObject({ state: 'credentials-refused', lastSuccessAt: null })
    expect(opened.sync!.connectivity.lastAttemptAt).not.toBeNull()
    expect(opened.sync!.connectivity.detail).toMatch(/credentials/)

    await opened.outbox.enqueueComment('acme', 'A1', { commentText: 'Seen.' })
    await opened.sync!.drainOnce({ timeoutMs: 5_000 })
    expect(opened.sync!.connectivity.state).toBe('credentials-refused')
  })

  it('a connection check refused at the token endpoint makes it credentials-refused', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, []))
    await api.vault.setSecret('qubs.clientSecret', 'not-the-secret')
    const opened = await open()
    await expect(opened.client!.checkConnection()).rejects.toMatchObject({ kind: 'auth' })
    expect(opened.sync!.connectivity.state).toBe('credentials-refused')
  })

  it('a 403 for the domain makes it credentials-refused', async () => {
    api = await startTestApi((_request, response) => sendProblem(response, 403, { title: 'Forbidden' }))
    const opened = await open()
    await opened.outbox.enqueueComment('acme', 'A1', { commentText: 'Seen.' })
    await opened.sync!.drainOnce({ timeoutMs: 5_000 })
    expect(opened.sync!.connectivity.state).toBe('credentials-refused')
    await expect(opened.client!.walkPending()).rejects.toMatchObject({ status: 403 })
    expect(opened.sync!.connectivity.state).toBe('credentials-refused')
  })

  it('an unreachable QUBS makes it offline, keeping the last success', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, emptyPage))
    const opened = await open()
    await opened.client!.walkPending()
    const { lastSuccessAt } = opened.sync!.connectivity
    api.server.setHandler((_request, response) => {
      response.socket?.destroy()
    })
    await expect(opened.client!.walkPending()).rejects.toMatchObject({ kind: 'network' })
    expect(opened.sync!.connectivity).toMatchObject({ state: 'offline', lastSuccessAt })
    expect(opened.sync!.connectivity.lastAttemptAt).toBeGreaterThanOrEqual(lastSuccessAt!)
  })

  it('reaches the contract with its state, times and detail, and an event per change', async () => {
    api = await startTestApi((_request, response) => sendJson(response, 200, emptyPage))
    await api.vault.setSecret('qubs.clientSecret', 'not-the-secret')
    const opened = await open()
    const events: unknown[] = []
    const core = new AppCore({
      name: 'QUBS Reporter',
      version: '0.0.0',
      mode: 'configured',
      runtime: { node: process.versions.node },
      logger: silentLogger,
      services: opened,
      emit: (event, payload) => events.push({ event, payload }),
    })
    await opened.client!.walkPending().catch(() => undefined)
    const connectivity = await core.getConnectivity()
    expect(connectivity).toMatchObject({ state: 'credentials-refused', lastSuccessAt: null })
    expect(connectivity.lastAttemptAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(connectivity.detail).toMatch(/credentials/)
    expect(events).toEqual([{ event: 'connectivityChanged', payload: connectivity }])
    core.dispose()
  })
})
