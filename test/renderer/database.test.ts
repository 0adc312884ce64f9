import { describe, expect, it } from 'vitest'
import { CacheDecryptError, createRecordCipher } from '../../src-renderer/src/db/cipher'
import { appointmentRowKey, ReporterDatabase, sealAad } from '../../src-renderer/src/db/database'

const key = () => crypto.getRandomValues(new Uint8Array(32))

describe('renderer database', () => {
  it('keeps a sealed draft across a reopen (what a reload does) and opens it with the same key', async () => {
    const name = `test-${crypto.randomUUID()}`
    const raw = key()
    const cipher = await createRecordCipher('k1', new Uint8Array(raw))
    const first = new ReporterDatabase(name)
    const rowKey = appointmentRowKey('demo', 'A1')
    const sealed = await cipher.sealJson(sealAad('drafts', rowKey), { text: 'Findings: none.' })
    await first.drafts.put({ key: rowKey, domain: 'demo', appointmentId: 'A1', updatedAt: 1, sealed })
    first.close()
    const second = new ReporterDatabase(name)
    const row = await second.drafts.get(rowKey)
    expect(row).toBeDefined()
    expect(await cipher.openJson(sealAad('drafts', rowKey), row!.sealed)).toEqual({ text: 'Findings: none.' })
    await second.delete()
  })

  it('refuses a record moved to another row (another patient) and a record sealed under another key', async () => {
    const cipher = await createRecordCipher('k1', key())
    const other = await createRecordCipher('k2', key())
    const sealed = await cipher.sealJson(sealAad('appointments', 'demo/A1'), { patientName: 'x' })
    await expect(cipher.openJson(sealAad('appointments', 'demo/A2'), sealed)).rejects.toBeInstanceOf(
      CacheDecryptError,
    )
    await expect(other.openJson(sealAad('appointments', 'demo/A1'), sealed)).rejects.toBeInstanceOf(
      CacheDecryptError,
    )
  })

  it('zeroes the raw key it was given and never leaves plaintext in the sealed bytes', async () => {
    const raw = key()
    const cipher = await createRecordCipher('k1', raw)
    expect(raw.every((b) => b === 0)).toBe(true)
    const sealed = await cipher.sealBytes(
      'attachmentBytes/demo/A1/g',
      new TextEncoder().encode('CANARY-PHI-1234'),
    )
    expect(new TextDecoder().decode(sealed.data)).not.toContain('CANARY')
  })
})
