import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The CLI bundle replaces `undici` by scripts/undici-for-cli.cjs (only the parts the client uses, for a
 * faster start). It must hand out undici's very own objects, and everything the client's sources take
 * from `undici` as values — so a new import, or an undici upgrade that moves a file, fails here.
 */
const ROOT = resolve(import.meta.dirname, '../../..')
const require = createRequire(import.meta.url)
const shim = require(join(ROOT, 'scripts/undici-for-cli.cjs')) as Record<string, unknown>
const undici = require('undici') as Record<string, unknown>

/** The value (non-type) names imported from 'undici' anywhere under src-main (what the bundle sees). */
function valueImportsFromUndici(): Set<string> {
  const names = new Set<string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(
          /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'undici'/g,
        )) {
          if (match[1]) continue
          for (const part of match[2]!.split(',')) {
            const name = part.trim()
            if (name && !name.startsWith('type ')) names.add(name.split(/\s+as\s+/)[0]!.trim())
          }
        }
      }
    }
  }
  walk(join(ROOT, 'src-main'))
  return names
}

describe("the CLI bundle's undici", () => {
  it("hands out undici's own Agent, connector and error classes, with the request API on dispatchers", () => {
    expect(shim['Agent']).toBe(undici['Agent'])
    expect(shim['buildConnector']).toBe(undici['buildConnector'])
    expect(shim['errors']).toBe(undici['errors'])
    expect(typeof (shim['Dispatcher'] as { prototype: { request?: unknown } }).prototype.request).toBe(
      'function',
    )
  })

  it('provides every value the client imports from undici', () => {
    const imported = valueImportsFromUndici()
    expect(imported.size).toBeGreaterThan(0)
    for (const name of imported) expect(Object.keys(shim), `undici.${name}`).toContain(name)
  })
})
