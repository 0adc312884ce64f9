import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type RunningSandbox } from '../../../src-main/sandbox'
import { runCliProcess } from './cli-process'

/** Issue 6/11 at the CLI: --key re-runs, undeclared domains, and discard. Offline: nothing is sent. */
describe('qubs-reporter CLI outbox safety', { timeout: 90_000 }, () => {
  let sandbox: RunningSandbox
  let root: string
  let env: Record<string, string>
  beforeAll(async () => {
    sandbox = await startSandbox({ appointments: 10, seed: 3, domains: ['demo'] })
  })
  afterAll(async () => {
    await sandbox.close()
  })
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'qubs-cli-safety-'))
    env = {
      HOME: join(root, 'home'),
      QUBS_DATA_DIR: join(root, 'data'),
      QUBS_API_BASE_URL: 'http://127.0.0.1:9',
      QUBS_TOKEN_URL: 'http://127.0.0.1:9/oauth2/token',
      QUBS_CLIENT_ID: sandbox.clientId,
      QUBS_CLIENT_SECRET: sandbox.clientSecret,
      QUBS_DOMAIN: 'demo',
    }
    return () => rmSync(root, { recursive: true, force: true })
  })
  const file = (text: string) => {
    const path = join(root, `r-${Math.random().toString(36).slice(2)}.txt`)
    writeFileSync(path, text)
    return path
  }
  const listed = async () => JSON.parse((await runCliProcess(['outbox', '--json'], env)).stdout) as unknown[]

  it('--key: the same key and input says it already exists (exit 0); other input exits 2 and queues nothing', async () => {
    const args = ['report', 'A1', '--status', 'final', '--no-sync', '--key', 'run-7', '--json']
    const first = await runCliProcess([...args, '--text-file', file('CLI-SAFETY text one')], env)
    expect(first.code).toBe(0)
    const again = await runCliProcess([...args, '--text-file', file('CLI-SAFETY text one')], env)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyExisted: true, state: 'queued' })
    const other = await runCliProcess([...args, '--text-file', file('CLI-SAFETY text two')], env)
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(/already used/)
    expect(other.stderr).not.toContain('CLI-SAFETY')
    const bad = await runCliProcess(['comment', 'A1', '--text', 'x', '--no-sync', '--key', 'has space'], env)
    expect(bad.code).toBe(2)
    expect(await listed()).toHaveLength(1)
  })

  it('refuses a domain that is not configured with exit 2 and a clear message', async () => {
    const run = await runCliProcess(['comment', 'elsewhere/A1', '--text', 'x', '--no-sync'], env)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/domain elsewhere is not configured/)
    expect(await listed()).toHaveLength(0)
  })
})
