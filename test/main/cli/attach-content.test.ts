import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCliProcess } from './cli-process'

/** `attach` with a file whose content is not what its type claims: exit 2, a clear reason, nothing queued. */
describe('qubs-reporter attach checks the content', { timeout: 60_000 }, () => {
  let root: string
  let env: Record<string, string>

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'qubs-cli-attach-'))
    // No connection settings: a refused file must be refused before anything could be sent.
    env = { HOME: join(root, 'home'), QUBS_DATA_DIR: join(root, 'data'), QUBS_DOMAIN: 'demo' }
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('a text file named .pdf exits 2 naming the PDF signature, and queues nothing', async () => {
    const file = join(root, 'report.pdf')
    writeFileSync(file, 'Testpatient Alpha: marker-PHI-6610, a text file, not a PDF.\n')
    const run = await runCliProcess(['attach', 'A100004', '--file', file], env)
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('"%PDF-" at offset 0')
    expect(run.stderr).not.toContain('marker-PHI')
    const listed = await runCliProcess(['outbox', '--json'], env)
    expect(JSON.parse(listed.stdout)).toEqual([])
  })

  it('a PDF declared as application/dicom exits 2 naming the DICOM signature', async () => {
    const file = join(root, 'report.pdf')
    writeFileSync(file, '%PDF-1.7\n%%EOF\n')
    const run = await runCliProcess(
      ['attach', 'A100004', '--file', file, '--content-type', 'application/dicom'],
      env,
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('"DICM" at offset 128')
  })
})
