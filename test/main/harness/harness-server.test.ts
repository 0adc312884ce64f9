import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { startHarness, type RunningHarness } from '../../../src-main/harness/harness-server'
import { invokeContract, type ApiMethods } from '../../../src-preload/contract'
import { partialApi } from '../../support/partial-api'

/**
 * The browser harness serves the app without a login, so only its own page may use it: browsers apply
 * no CORS to WebSockets, and a rebound DNS name can point any site at 127.0.0.1.
 */
const impl: ApiMethods = partialApi({
  getAppInfo: async () => ({
    name: 'QUBS Reporter',
    version: '0.0.0',
    mode: 'demo',
    runtime: { node: '24' },
  }),
  getConnectivity: async () => ({ state: 'unknown', lastSuccessAt: null, lastAttemptAt: null }),
})

describe('browser harness boundaries', () => {
  let dir: string
  let harness: RunningHarness
  const sink = memorySink()

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-harness-test-'))
    writeFileSync(join(dir, 'index.html'), '<html><head></head><body></body></html>')
    harness = await startHarness({
      rendererDir: dir,
      bridgeScript: '/* bridge */',
      impl,
      logger: createLogger('harness', { sink }),
    })
  })
  afterAll(async () => {
    await harness.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const port = () => Number(new URL(harness.url).port)

  function call(origin: string, host = `127.0.0.1:${port()}`): Promise<unknown> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port()}/__harness/ws`, { origin, headers: { host } })
      socket.on('open', () =>
        socket.send(JSON.stringify({ id: 1, channel: invokeContract.getAppInfo.channel, args: [] })),
      )
      socket.on('message', (data) => {
        resolve(JSON.parse(String(data)))
        socket.close()
      })
      socket.on('error', () => resolve('refused'))
      socket.on('unexpected-response', () => resolve('refused'))
    })
  }

  function get(host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port: port(), path: '/', headers: { host } }, (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
  }

  it('answers its own page', async () => {
    expect(await call(`http://127.0.0.1:${port()}`)).toMatchObject({ id: 1, envelope: { ok: true } })
    expect(await get(`127.0.0.1:${port()}`)).toBe(200)
  })

  it('refuses a WebSocket from another origin', async () => {
    expect(await call('https://evil.example')).toBe('refused')
    expect(await call(`http://127.0.0.1:${port() + 1}`)).toBe('refused')
  })

  it('refuses requests under a foreign Host name (DNS rebinding)', async () => {
    expect(await get(`rebind.evil.example:${port()}`)).toBe(403)
    expect(await call(`http://rebind.evil.example:${port()}`, `rebind.evil.example:${port()}`)).toBe(
      'refused',
    )
    expect(sink.records.some((r) => r.message === 'harness request refused')).toBe(true)
  })

  it('will not listen on anything but loopback', async () => {
    await expect(
      startHarness({
        rendererDir: dir,
        bridgeScript: '',
        impl,
        logger: createLogger('h', { sink }),
        host: '0.0.0.0',
      }),
    ).rejects.toThrow(/loopback only/)
  })
})
