import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import { AppCore, type EmitEvent } from '../../../src-main/core/app-core'
import { MemoryVault } from '../../../src-main/core/vault/vault'
import { startSandbox } from '../../../src-main/sandbox'
import {
  connectionFromEnv,
  demoDataDirFor,
  openWorkstation,
  type Workstation,
} from '../../../src-main/workstation/open-workstation'

/** The composition shared by the Electron app and the browser harness, on real services. */
describe('openWorkstation', () => {
  let dir: string
  let workstation: Workstation | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-ws-'))
  })
  afterEach(async () => {
    await workstation?.close()
    workstation = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs on the built-in demo sandbox when no connection is configured, and delivers through it', async () => {
    workstation = await openWorkstation({
      dataDir: join(dir, 'data'),
      vault: new MemoryVault(),
      logger: silentLogger,
      env: {},
    })
    expect(workstation.mode).toBe('demo')
    const { client, outbox, sync } = workstation.services
    const [first] = await client!.walkPending()
    expect(first?.domain).toBe('demo')
    const entry = await outbox.enqueueReport('demo', first!.appointmentId, {
      reportText: 'Demo report.',
      reportStatus: 'final',
    })
    expect(await sync!.drainUntilIdle({ timeoutMs: 20_000 })).toEqual({ idle: true, remaining: 0 })
    expect(outbox.get(entry.id)?.state).toBe('delivered')
  })

  it("never puts the sandbox's secret over a real one in the workstation's vault", async () => {
    const vault = new MemoryVault()
    await vault.setSecret('qubs.clientSecret', 'the-real-qubs-secret')
    workstation = await openWorkstation({ dataDir: join(dir, 'data'), vault, logger: silentLogger, env: {} })
    expect((await workstation.services.client!.checkConnection()).ok).toBe(true)
    expect(await vault.getSecret('qubs.clientSecret')).toBe('the-real-qubs-secret')
  })

  it('uses the QUBS connection from the environment when one is given', async () => {
    const qubs = await startSandbox({
      appointments: 10,
      domains: ['acme'],
      clientSecret: 'configured-secret',
    })
    try {
      const vault = new MemoryVault()
      workstation = await openWorkstation({
        dataDir: join(dir, 'data'),
        vault,
        logger: silentLogger,
        env: {
          QUBS_API_BASE_URL: qubs.apiBaseUrl,
          QUBS_TOKEN_URL: qubs.tokenUrl,
          QUBS_CLIENT_ID: qubs.clientId,
          QUBS_CLIENT_SECRET: 'configured-secret',
          QUBS_DOMAIN: 'acme',
        },
      })
      expect(workstation.mode).toBe('configured')
      expect(await vault.getSecret('qubs.clientSecret')).toBe('configured-secret')
      expect((await workstation.services.client!.checkConnection()).ok).toBe(true)
    } finally {
      await workstation?.close()
      workstation = undefined
      await qubs.close()
    }
  })

  it('keeps demo and configured data apart: a demo entry never reaches the configured QUBS', async () => {
    const qubs = await startSandbox({
      appointments: 10,
      domains: ['demo'],
      clientSecret: 'configured-secret',
    })
    const env = {
      QUBS_API_BASE_URL: qubs.apiBaseUrl,
      QUBS_TOKEN_URL: qubs.tokenUrl,
      QUBS_CLIENT_ID: qubs.clientId,
      QUBS_CLIENT_SECRET: 'configured-secret',
      QUBS_DOMAIN: 'demo',
    }
    try {
      const dataDir = join(dir, 'data')
      // Demo first, offline from its own sandbox: the entry waits in the demo outbox.
      workstation = await openWorkstation({
        dataDir,
        vault: new MemoryVault(),
        logger: silentLogger,
        env: {},
      })
      await workstation.services.sync!.stop()
      const demoEntry = await workstation.services.outbox.enqueueComment('demo', 'A100001', {
        commentText: 'Written in demo mode.',
      })
      await workstation.close()
      workstation = undefined
      expect(existsSync(demoDataDirFor(dataDir))).toBe(true)

      workstation = await openWorkstation({ dataDir, vault: new MemoryVault(), logger: silentLogger, env })
      expect(workstation.mode).toBe('configured')
      expect(workstation.services.outbox.get(demoEntry.id)).toBeNull()
      expect(await workstation.services.sync!.drainUntilIdle({ timeoutMs: 10_000 })).toMatchObject({
        idle: true,
      })
      expect(qubs.admin.effects().filter((effect) => effect.kind === 'comment')).toEqual([])
    } finally {
      await workstation?.close()
      workstation = undefined
      await qubs.close()
    }
  })

  it('refuses partial connection settings instead of falling back to the sandbox', () => {
    expect(() => connectionFromEnv({ QUBS_API_BASE_URL: 'https://partners.example.invalid' })).toThrow()
    expect(connectionFromEnv({})).toBeNull()
  })

  it('names the missing QUBS_* variables, by their variable names, when only some are set', () => {
    expect(() =>
      connectionFromEnv({ QUBS_API_BASE_URL: 'https://partners.example.invalid', QUBS_CLIENT_SECRET: 's' }),
    ).toThrow(/QUBS_TOKEN_URL, QUBS_CLIENT_ID and QUBS_DOMAIN are not set/)
    expect(() =>
      connectionFromEnv({
        QUBS_API_BASE_URL: 'not a url',
        QUBS_TOKEN_URL: 'https://auth.example.invalid/oauth2/token',
        QUBS_CLIENT_ID: 'c',
        QUBS_DOMAIN: 'acme',
      }),
    ).toThrow(/QUBS_API_BASE_URL/)
  })

  it('feeds the connectivity the sync engine observes to the contract and its events', async () => {
    workstation = await openWorkstation({
      dataDir: join(dir, 'data'),
      vault: new MemoryVault(),
      logger: silentLogger,
      env: {},
    })
    const events: unknown[] = []
    const emit: EmitEvent = (event, payload) => events.push({ event, payload })
    const core = new AppCore({
      name: 'QUBS Reporter',
      version: '0.0.0',
      mode: workstation.mode,
      runtime: { node: process.versions.node },
      logger: silentLogger,
      services: workstation.services,
      emit,
    })
    expect(await core.getConnectivity()).toEqual({
      state: 'unknown',
      lastSuccessAt: null,
      lastAttemptAt: null,
    })
    const [first] = await workstation.services.client!.walkPending()
    await workstation.services.outbox.enqueueComment('demo', first!.appointmentId, { commentText: 'Seen.' })
    await workstation.services.sync!.drainUntilIdle({ timeoutMs: 20_000 })
    expect(await core.getConnectivity()).toMatchObject({ state: 'online' })
    // Outbox changes are events too (outboxChanged); this test is about connectivity.
    expect(events.filter((e) => (e as { event: string }).event === 'connectivityChanged')).toEqual([
      { event: 'connectivityChanged', payload: expect.objectContaining({ state: 'online' }) },
    ])
    core.dispose()
  })
})
