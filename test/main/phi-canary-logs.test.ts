import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { installCrashLogging } from '../../src-main/common/crash-log'
import { createLogger, type Logger } from '../../src-main/common/logger'
import { rotatingFileSink } from '../../src-main/common/rotating-file-sink'
import { parseConnectionSettings } from '../../src-main/core/api'
import { AppCore } from '../../src-main/core/app-core'
import { ReporterServices } from '../../src-main/core/reporter-services'
import { MemoryVault } from '../../src-main/core/vault/vault'
import { createDispatcher, invokeContract, type Envelope, type InvokeName } from '../../src-preload/contract'

/**
 * PHI canaries through every path that can write a log or crash line: IPC errors (bad arguments carrying
 * canaries), HTTP errors (a hostile QUBS whose problem bodies and token echo canaries), outbox failures
 * (a comment held on such an answer), crashes (an unexpected throw in a capability, an uncaught
 * exception in main) and renderer log calls — then every log file and crash file written, the captured
 * stderr and every answer to the page are grepped for each canary.
 */
const NAME = 'Zelda Quartermain'
const DOB = '1961-07-14'
const REPORT = 'Canary report: moderate Quartermain effusion'
const COMMENT = 'Canary comment for Dr Quartermain'
const SECRET = 'canary-client-secret-7f3a9'
const TOKEN = 'canary-access-token-91bd'
const CANARIES = ['Quartermain', DOB, '14/07/1961', 'effusion', SECRET, TOKEN]

let dir: string
let server: Server
let services: ReporterServices
let core: AppCore
let logger: Logger
let dispatch: ReturnType<typeof createDispatcher>
const answers: Envelope[] = []
const stderr: string[] = []

/** A QUBS that echoes PHI and secrets in everything it answers, as a broken or hostile server might. */
function hostileQubs(request: IncomingMessage, response: ServerResponse): void {
  request.resume()
  if (request.url?.startsWith('/oauth2/token')) {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 }))
    return
  }
  const status = request.method === 'POST' ? 400 : 500
  response.writeHead(status, {
    'content-type': 'application/problem+json',
    'x-request-id': `req ${NAME}`,
    'x-echo': `${NAME} ${DOB}`,
  })
  response.end(
    JSON.stringify({
      type: `https://qubs.invalid/${NAME}`,
      title: `Patient ${NAME} born ${DOB}`,
      status,
      detail: `${REPORT} ${COMMENT} ${SECRET} ${TOKEN} 14/07/1961`,
      requestId: 'req-7f3a',
      errors: [{ field: NAME, message: REPORT }],
    }),
  )
}

async function call(name: InvokeName, ...args: unknown[]): Promise<Envelope> {
  const answer = await dispatch(invokeContract[name].channel, args)
  answers.push(answer)
  return answer
}

function everythingWritten(): string {
  const files: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.(log|json)(\.\d+)?$/.test(entry.name)) files.push(readFileSync(path, 'utf8'))
    }
  }
  walk(join(dir, 'logs'))
  // Error messages to the page are promised PHI-free; successful answers may carry what QUBS said.
  const errors = answers.flatMap((answer) => (answer.ok ? [] : [answer.error]))
  return [...files, ...stderr, JSON.stringify(errors)].join('\n')
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qubs-canary-'))
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk))
    return true
  })
  server = createServer(hostileQubs)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  logger = createLogger('main', {
    sink: rotatingFileSink({ path: join(dir, 'logs', 'main.log') }),
    level: 'debug',
  })
  const vault = new MemoryVault(Buffer.alloc(32, 3))
  await vault.setSecret('qubs.clientSecret', SECRET)
  services = await ReporterServices.open({
    dataDir: join(dir, 'data'),
    vault,
    logger,
    connection: parseConnectionSettings({
      tokenUrl: `${base}/oauth2/token`,
      apiBaseUrl: base,
      clientId: 'canary-client',
      domains: ['demo'],
    }),
    clientTuning: {
      retry: { maxAttempts: 2, baseDelayMs: 5, capDelayMs: 20 },
      timeouts: { connectMs: 1_000, headersMs: 2_000, bodyMs: 2_000 },
    },
  })
  const brokenVault = {
    getSecret: async () => {
      throw new Error(`vault of ${NAME} (${DOB}) is broken: ${SECRET}`)
    },
    setSecret: async () => undefined,
  }
  core = new AppCore({
    name: 'QUBS Reporter',
    version: '0.0.0-test',
    mode: 'configured',
    runtime: { node: process.versions.node },
    logger: logger.child('core'),
    services,
    vault: brokenVault,
  })
  dispatch = createDispatcher(core, {
    onInternalError: (name, error) => logger.error('capability failed', { channel: name, error }),
  })
}, 30_000)

afterAll(async () => {
  core?.dispose()
  await services?.close()
  await new Promise((resolve) => server?.close(resolve))
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

describe('PHI canaries never reach a log, a crash file, stderr or an answer', () => {
  it('through IPC errors: bad arguments carrying canaries', async () => {
    await call('enqueueComment', 'demo', 'A1', { commentText: COMMENT, isAlert: false, patientName: NAME })
    await call('enqueueComment', 'demo', 'A1', { commentText: `${REPORT} `.repeat(2_000), isAlert: false })
    await call('getAppointment', `${NAME} `.repeat(50), DOB)
    await call('updateSettings', { privacy: { [NAME]: DOB }, [NAME]: { x: SECRET } })
    await call('logFromRenderer', { level: 'error', scope: NAME, message: REPORT })
    expect(answers.filter((a) => !a.ok && a.error.code === 'invalid-arguments')).toHaveLength(5)
  })

  it('through HTTP errors: problem bodies and headers echoing canaries, a token that is a canary', async () => {
    const appointment = await call('getAppointment', 'demo', 'A1')
    expect(appointment.ok).toBe(false)
    await call('listComments', 'demo', 'A1')
    await call('refreshWorklist')
    await call('listAttachments', 'demo', 'A1')
  })

  it('through outbox failures: a comment held on an answer that echoes canaries', async () => {
    const queued = await call('enqueueComment', 'demo', 'A1', { commentText: COMMENT, isAlert: true })
    expect(queued.ok).toBe(true)
    await services.sync?.drainUntilIdle({ timeoutMs: 5_000 })
    const listed = await call('listOutbox')
    expect(listed).toMatchObject({ ok: true, value: [expect.objectContaining({ state: 'held' })] })
  })

  it('through crashes: an unexpected throw in a capability, an uncaught exception and rejection in main', async () => {
    const answer = await call('getCacheKey')
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } })
    const fakeProcess = new (await import('node:events')).EventEmitter()
    const exits: number[] = []
    installCrashLogging({
      process: fakeProcess,
      logger,
      crashDir: join(dir, 'logs'),
      exit: (code) => exits.push(code),
      now: () => Date.UTC(2026, 0, 1),
    })
    const crash = new TypeError(`Cannot read report of ${NAME} born ${DOB}: ${REPORT}`)
    fakeProcess.emit('uncaughtException', crash, 'uncaughtException')
    fakeProcess.emit('unhandledRejection', new Error(`token ${TOKEN} for ${NAME}`), Promise.resolve())
    expect(exits).toEqual([70])
    const crashFiles = readdirSync(join(dir, 'logs')).filter((name) => name.startsWith('crash-'))
    expect(crashFiles).toHaveLength(1)
    expect(statSync(join(dir, 'logs', crashFiles[0]!)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(join(dir, 'logs', crashFiles[0]!), 'utf8'))).toMatchObject({
      kind: 'uncaughtException',
      error: { errorName: 'TypeError' },
    })
  })

  it('through renderer log calls carrying canaries in the message and the fields', async () => {
    for (const message of [`opening ${NAME}`, `patient born ${DOB}`, REPORT, `token ${TOKEN}`]) {
      await call('logFromRenderer', {
        level: 'error',
        scope: 'appointment',
        message,
        fields: {
          patient: NAME,
          info: `${NAME} ${DOB}`,
          when: DOB,
          value: TOKEN,
          secretish: SECRET,
          code: 'E1',
        },
      })
    }
    expect(answers.at(-1)).toEqual({ ok: true, value: null })
  })

  it('every log, crash file, stderr line and answer is free of every canary, and the paths did log', () => {
    const written = everythingWritten()
    for (const canary of CANARIES) expect(written, canary).not.toContain(canary)
    const log = readFileSync(join(dir, 'logs', 'main.log'), 'utf8')
    for (const expected of [
      'capability failed',
      'entry held',
      'uncaught exception in main',
      'main/core/renderer/appointment',
    ])
      expect(log).toContain(expected)
  })
})
