import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

/**
 * Packaging needs the Electron binary, so it cannot run here; the configuration is at least held to
 * electron-builder's own schema, and to the fuses that keep other local processes out of the app.
 */
const root = resolve(import.meta.dirname, '../..')
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", () => {
    const schema = JSON.parse(
      readFileSync(resolve(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as object
    const ajv = new Ajv({ allErrors: true, strict: false })
    expect(ajv.validate(schema, config), JSON.stringify(ajv.errors)).toBe(true)
  })

  it('turns off running as Node, NODE_OPTIONS and inspector flags, and checks the asar', () => {
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })
})
