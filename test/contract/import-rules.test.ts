import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * The layering of docs/ARCHITECTURE.md is enforced by ESLint. These cases lint small snippets as if
 * they lived in each layer, so a config change that silently drops a rule fails here.
 */
const eslint = new ESLint({ cwd: process.cwd() })

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal')
}

describe('import rules', () => {
  it.each([
    ['src-renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n"],
    ['src-renderer/src/x.ts', "import { readFile } from 'node:fs/promises'\nexport const x = readFile\n"],
    [
      'src-renderer/src/x.ts',
      "import { AppCore } from '../../src-main/core/app-core'\nexport const x = AppCore\n",
    ],
    ['src-main/core/x.ts', "import { app } from 'electron'\nexport const x = app\n"],
    [
      'src-main/core/api/x.ts',
      "import { startSandbox } from '../../sandbox'\nexport const x = startSandbox\n",
    ],
    ['src-main/sandbox/x.ts', "import { QubsError } from '../core/api/errors'\nexport const x = QubsError\n"],
    ['src-preload/contract/x.ts', "import { join } from 'node:path'\nexport const x = join\n"],
  ])('forbids %s importing across a layer boundary', async (filePath, code) => {
    expect(await violations(filePath, code)).toContain('no-restricted-imports')
  })

  it('forbids touching window.qubs outside the bridge module', async () => {
    expect(await violations('src-renderer/src/features/x.ts', 'export const x = window.qubs\n')).toContain(
      'no-restricted-properties',
    )
    expect(await violations('src-renderer/src/bridge/x.ts', 'export const x = window.qubs\n')).toEqual([])
  })

  it('allows what the layers may use', async () => {
    expect(
      await violations('src-main/core/x.ts', "import { join } from 'node:path'\nexport const x = join\n"),
    ).toEqual([])
    expect(
      await violations(
        'src-renderer/src/x.ts',
        "import type { Api } from '../../src-preload/contract/api'\nexport type X = Api\n",
      ),
    ).toEqual([])
    expect(
      await violations(
        'src-preload/x.ts',
        "import { contextBridge } from 'electron'\nexport const x = contextBridge\n",
      ),
    ).toEqual([])
  })
})
