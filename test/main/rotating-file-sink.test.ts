import * as fs from 'node:fs'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../src-main/common/logger'
import { rotatingFileSink, type RotatingFs } from '../../src-main/common/rotating-file-sink'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qubs-log-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const fixedNow = () => Date.UTC(2026, 0, 1)

describe('rotating file log', () => {
  it('rotates by size and keeps at most maxFiles files, the newest records in main.log', () => {
    const path = join(dir, 'logs', 'main.log')
    const log = createLogger('main', {
      sink: rotatingFileSink({ path, maxBytes: 1_000, maxFiles: 3 }),
      now: fixedNow,
    })
    for (let index = 0; index < 100; index += 1) log.info('entry delivered', { count: index })
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['main.log', 'main.log.1', 'main.log.2'])
    for (const name of ['main.log', 'main.log.1', 'main.log.2']) {
      expect(statSync(join(dir, 'logs', name)).size).toBeLessThanOrEqual(1_000)
    }
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ message: 'entry delivered', fields: { count: 99 } })
    const older = readFileSync(`${path}.1`, 'utf8').trim().split('\n')
    const newestOlder = JSON.parse(older.at(-1)!) as { fields: { count: number } }
    const oldestCurrent = JSON.parse(lines[0]!) as { fields: { count: number } }
    expect(newestOlder.fields.count + 1).toBe(oldestCurrent.fields.count)
    expect(log.failedWrites).toBe(0)
  })

  it('writes owner-only files in an owner-only folder, tightening a file that existed wider', () => {
    const path = join(dir, 'logs', 'main.log')
    fs.mkdirSync(join(dir, 'logs'))
    writeFileSync(path, '', { mode: 0o644 })
    fs.chmodSync(path, 0o644)
    const log = createLogger('main', { sink: rotatingFileSink({ path, maxBytes: 300, maxFiles: 2 }) })
    for (let index = 0; index < 10; index += 1) log.info('entry delivered', { count: index })
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(`${path}.1`).mode & 0o777).toBe(0o600)
    const fresh = join(dir, 'fresh', 'main.log')
    createLogger('main', { sink: rotatingFileSink({ path: fresh }) }).info('outbox opened')
    expect(statSync(join(dir, 'fresh')).mode & 0o777).toBe(0o700)
    expect(statSync(fresh).mode & 0o777).toBe(0o600)
  })

  it('continues an existing file up to the size limit after a restart', () => {
    const path = join(dir, 'main.log')
    writeFileSync(path, 'x'.repeat(950), { mode: 0o600 })
    createLogger('main', { sink: rotatingFileSink({ path, maxBytes: 1_000 }) }).info('outbox opened')
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('x'.repeat(950))
    expect(readFileSync(path, 'utf8')).toContain('outbox opened')
  })

  it('never throws into the caller on a failing disk (full, or failing to rotate), and tells it once', () => {
    const path = join(dir, 'main.log')
    let full = false
    const failing: RotatingFs = {
      ...fs,
      appendFileSync: (...args: Parameters<typeof fs.appendFileSync>) => {
        if (full) throw Object.assign(new Error(`ENOSPC: no space left, write ${path}`), { code: 'ENOSPC' })
        fs.appendFileSync(...args)
      },
      renameSync: () => {
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
      },
    }
    const told: string[] = []
    const log = createLogger('main', {
      sink: rotatingFileSink({ path, maxBytes: 200, fs: failing }),
      onWriteFailure: (line) => told.push(line),
    })
    expect(() => {
      for (let index = 0; index < 20; index += 1) log.info('entry delivered', { count: index })
      full = true
      for (let index = 0; index < 20; index += 1) log.error('entry held', { count: index })
    }).not.toThrow()
    expect(log.failedWrites).toBeGreaterThan(20)
    expect(told).toEqual([expect.stringMatching(/^log writes are failing \(1 so far\): (EIO|ENOSPC)$/)])
  })
})
