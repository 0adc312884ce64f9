import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { startHarness, type RunningHarness } from '../../../src-main/harness/harness-server'
import { invokeContract, type ApiMethods } from '../../../src-preload/contract'
import {
  decodeHarnessFrame,
  encodeHarnessFrame,
  MAX_HARNESS_FRAME_BYTES,
} from '../../../src-preload/contract/harness-frames'
import { partialApi } from '../../support/partial-api'

/**
 * The browser harness serves the app without a login, so only its own page may use it: browsers apply
 * no CORS to WebSockets, and a rebound DNS name can point any site at 127.0.0.1.
 */
/** Every byte value, twice: a JSON or text encoding of these could not pass for the raw bytes. */
const CHUNK_BYTES = Uint8Array.from({ length: 512 }, (_, i) => i % 256)

const impl: ApiMethods = partialApi({
  getAppInfo: async () => ({
    name: 'QUBS Reporter',
    version: '0.0.0',
    mode: 'demo',
    runtime: { node: '24' },
  }),
  getConnectivity: async () => ({ state: 'unknown', lastSuccessAt: null, lastAttemptAt: null }),
  getAttachmentChunk: async (downloadId, index) => ({ downloadId, index, bytes: CHUNK_BYTES }),
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
        socket.send(encodeHarnessFrame({ id: 1, channel: invokeContract.getAppInfo.channel, args: [] })),
      )
      socket.on('message', (data) => {
        resolve(decodeHarnessFrame(data as Buffer))
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

  function open(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port()}/__harness/ws`, {
        origin: `http://127.0.0.1:${port()}`,
      })
      socket.on('open', () => resolve(socket))
      socket.on('error', reject)
    })
  }

  it('carries bytes in a result as a binary frame holding the raw bytes', async () => {
    const socket = await open()
    const frame = await new Promise<{ data: Buffer; isBinary: boolean }>((resolve) => {
      socket.on('message', (data, isBinary) => resolve({ data: data as Buffer, isBinary }))
      socket.send(
        encodeHarnessFrame({ id: 7, channel: invokeContract.getAttachmentChunk.channel, args: ['d1', 0] }),
      )
    })
    socket.close()
    expect(frame.isBinary).toBe(true)
    // The bytes are in the frame as they are: no base64, no JSON array of numbers.
    expect(frame.data.includes(Buffer.from(CHUNK_BYTES))).toBe(true)
    expect(frame.data.byteLength).toBeLessThan(CHUNK_BYTES.byteLength + 400)
    const answer = decodeHarnessFrame(frame.data) as {
      id: number
      envelope: { ok: boolean; value: { bytes: unknown } }
    }
    expect(answer).toMatchObject({ id: 7, envelope: { ok: true } })
    expect(answer.envelope.value.bytes).toBeInstanceOf(Uint8Array)
    expect([...(answer.envelope.value.bytes as Uint8Array)]).toEqual([...CHUNK_BYTES])
  })

  it('refuses text frames', async () => {
    const socket = await open()
    socket.send(JSON.stringify({ id: 1, channel: invokeContract.getAppInfo.channel, args: [] }))
    await expect.poll(() => sink.records.some((r) => r.message === 'harness message refused')).toBe(true)
    socket.close()
  })

  it('closes a connection that sends a frame over the size limit', async () => {
    const socket = await open()
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
    socket.send(Buffer.alloc(MAX_HARNESS_FRAME_BYTES + 1))
    expect(await closed).toBe(1009)
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
