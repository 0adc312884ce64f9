import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type * as fsPromises from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { writeFileDurably } from '../../../src-main/common/durable-file'

/**
 * Finding G: the temporary file of a durable write may hold plaintext (an export holds report text);
 * it must be gone after ANY failure. Disk-full and fsync failures cannot be provoked for real in a
 * test, so the file handle is wrapped to fail at the chosen step, after a partial write.
 */
type FailAt = 'writeFile' | 'sync' | 'close' | 'rename' | null
const control = vi.hoisted(() => ({ failAt: null as FailAt }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>()
  const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args)
      if (control.failAt === null || control.failAt === 'rename') return handle
      return new Proxy(handle, {
        get(target, property) {
          if (property === 'writeFile' && control.failAt === 'writeFile') {
            return async (text: string) => {
              // Half of it reaches the disk, then the disk is full.
              await target.writeFile(text.slice(0, Math.ceil(text.length / 2)), 'utf8')
              throw diskFull()
            }
          }
          if (property === 'sync' && control.failAt === 'sync') {
            return async () => {
              throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
            }
          }
          if (property === 'close' && control.failAt === 'close') {
            return async () => {
              await target.close()
              throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO' })
            }
          }
          const value: unknown = Reflect.get(target, property, target)
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
        },
      }) as FileHandle
    },
  }
})

describe('writeFileDurably', () => {
  let dir: string
  const text = `${JSON.stringify({ reportText: 'Testpatient Alpha: marker-PHI-7731' })}\n`

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-durable-'))
    control.failAt = null
  })
  afterEach(() => {
    control.failAt = null
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes the file and leaves nothing else behind', async () => {
    await writeFileDurably(join(dir, 'export.json'), text)
    expect(readFileSync(join(dir, 'export.json'), 'utf8')).toBe(text)
    expect(readdirSync(dir)).toEqual(['export.json'])
  })

  it.each(['writeFile', 'sync', 'close'] as const)(
    'removes the partial temporary file when %s fails, and reports that failure',
    async (step) => {
      control.failAt = step
      const error = await writeFileDurably(join(dir, 'export.json'), text).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: step === 'writeFile' ? 'ENOSPC' : 'EIO' })
      expect(readdirSync(dir)).toEqual([])
    },
  )

  it('removes the temporary file when the rename fails, and keeps what was at the target', async () => {
    control.failAt = 'rename'
    // A non-empty directory in the way: the rename onto it fails.
    mkdirSync(join(dir, 'export.json'))
    writeFileSync(join(dir, 'export.json', 'keep'), 'x')
    await expect(writeFileDurably(join(dir, 'export.json'), text)).rejects.toThrow()
    expect(readdirSync(dir)).toEqual(['export.json'])
    expect(readdirSync(join(dir, 'export.json'))).toEqual(['keep'])
  })
})
