import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseConnectionSettings, type QubsClient } from '../../../src-main/core/api'
import { failedInConnectPhase } from '../../../src-main/core/api/connect-phase'
import { classifyFailure } from '../../../src-main/core/outbox'
import { expectStillSentAfterTheResendWindow } from '../sync/resend-window'
import { qubsFailure, sendJson, startTestApi, TEST_CLIENT_ID, type TestApi } from './support'

/**
 * Whether a failed POST may have reached QUBS, judged from real transport failures on loopback: a TLS
 * handshake that fails (a certificate we refuse, a server that hangs up mid-handshake), a name that
 * does not resolve and a refused connection mean nothing was sent; a reset or a timeout after the
 * request was written means it may have been applied. The outbox's 23 h rule depends on the difference.
 */
const report = { reportText: 'No acute abnormality.', reportStatus: 'final' }

let api: TestApi
let certDir: string
const servers: (Server | HttpsServer)[] = []

beforeAll(async () => {
  api = await startTestApi((_request, response) => sendJson(response, 500, {}))
  certDir = mkdtempSync(join(tmpdir(), 'qubs-tls-'))
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'] //
      .concat(['-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')]),
    { stdio: 'ignore' },
  )
})

afterAll(async () => {
  await api.close()
  rmSync(certDir, { recursive: true, force: true })
})

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function listen<T extends Server | HttpsServer>(server: T): Promise<string> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** An https server whose certificate is self-signed: the client refuses it at the handshake. */
function selfSignedServer(): Promise<string> {
  const server = createHttpsServer(
    { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
    (_request, response) => response.end('{}'),
  )
  return listen(server)
}

/** A raw TCP server: `onSocket` decides what the "API" does with the connection. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    onSocket(socket)
  })
  server.on('close', () => sockets.forEach((socket) => socket.destroy()))
  const address = await listen(server)
  const close = server.close.bind(server)
  server.close = ((callback?: (error?: Error) => void) => {
    sockets.forEach((socket) => socket.destroy())
    return close(callback)
  }) as typeof server.close
  return address
}

function settingsFor(apiBaseUrl: string) {
  return {
    tokenUrl: `${api.server.origin}/oauth2/token`,
    apiBaseUrl,
    clientId: TEST_CLIENT_ID,
    domains: ['acme'],
  }
}

function clientFor(apiBaseUrl: string, overrides: Parameters<TestApi['client']>[0] = {}): QubsClient {
  return api.client({ settings: settingsFor(apiBaseUrl), ...overrides })
}

async function failedSubmission(apiBaseUrl: string, overrides: Parameters<TestApi['client']>[0] = {}) {
  const error = await qubsFailure(
    clientFor(apiBaseUrl, overrides).submitReport('acme', 'A1', report, { idempotencyKey: 'key-1' }),
  )
  return { error, decision: classifyFailure(error, Date.now(), false) }
}

async function expectNotSent(apiBaseUrl: string): Promise<void> {
  const { error, decision } = await failedSubmission(apiBaseUrl)
  expect(error).toMatchObject({ kind: 'network', notSent: true, mayHaveCommitted: false })
  expect(decision).toMatchObject({ action: 'retry', mayHaveCommitted: false })
}

describe('a POST that never left the machine', () => {
  it('a TLS certificate the client rejects (self-signed) is notSent', async () => {
    await expectNotSent(`https://${await selfSignedServer()}`)
  })

  it('a server that closes the connection during the TLS handshake is notSent', async () => {
    const address = await rawServer((socket) => socket.once('data', () => socket.destroy()))
    await expectNotSent(`https://${address}`)
  })

  it('a name that does not resolve is notSent', async () => {
    await expectNotSent('https://qubs-reporter-test.invalid')
  })

  it('a refused connection is notSent', async () => {
    const address = await rawServer(() => undefined)
    const port = address.split(':')[1]
    await new Promise((resolve) => servers.pop()?.close(resolve))
    await expectNotSent(`http://127.0.0.1:${port}`)
  })
})

describe('a POST that may have been applied', () => {
  it('a reset after the request was written may have been applied', async () => {
    const address = await rawServer((socket) => socket.once('data', () => socket.resetAndDestroy()))
    const { error, decision } = await failedSubmission(`http://${address}`)
    expect(error).toMatchObject({ kind: 'network', notSent: false, mayHaveCommitted: true })
    expect(decision).toMatchObject({ action: 'retry', mayHaveCommitted: true })
  })

  it('a headers timeout after the request was written may have been applied', async () => {
    const address = await rawServer(() => undefined)
    const { error, decision } = await failedSubmission(`http://${address}`, {
      timeouts: { connectMs: 2_000, headersMs: 100, bodyMs: 2_000 },
      retry: { maxAttempts: 1 },
    })
    expect(error).toMatchObject({ kind: 'timeout', notSent: false, mayHaveCommitted: true })
    expect(decision).toMatchObject({ action: 'retry', mayHaveCommitted: true })
  })
})

describe('the 23 h rule', () => {
  it('a report refused at the TLS handshake for more than a day is still sent, not held as too old', async () => {
    const apiBaseUrl = `https://${await selfSignedServer()}`
    const client = clientFor(apiBaseUrl, { retry: { maxAttempts: 1 } })
    await expectStillSentAfterTheResendWindow(
      client,
      parseConnectionSettings(settingsFor(apiBaseUrl)),
      api.vault,
      certDir,
    )
  })
})

describe('an unmarked TLS error', () => {
  it('is not taken as "never sent": OpenSSL also raises ERR_SSL_* after the request was written', () => {
    const midStream = Object.assign(new Error('decryption failed or bad record mac'), {
      code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
    })
    expect(failedInConnectPhase(midStream)).toBe(false)
    expect(failedInConnectPhase(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true)
  })
})
