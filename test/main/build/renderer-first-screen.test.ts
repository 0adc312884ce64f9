import { build, type Rolldown } from 'vite'
import { describe, expect, it } from 'vitest'
import config from '../../../electron.vite.config'

/**
 * Issue #14 (cold start): the first screen (the worklist) must not wait for the code of screens it
 * does not show. Builds the renderer as the app does (in memory) and checks the module graph: what
 * the entry chunk and the chunks it imports statically hold — all of it is fetched, parsed and run
 * before the first row can show — against the modules of the screens that load on first use.
 */
const LATER: readonly string[] = [
  'src-renderer/src/features/settings/SettingsScreen.tsx',
  'src-renderer/src/features/support/SupportPanel.tsx',
  'src-renderer/src/features/setup/WelcomeScreen.tsx',
  'src-renderer/src/features/setup/ConnectionForm.tsx',
  'src-renderer/src/features/privacy/WipeDialog.tsx',
  'src-renderer/src/features/appointment/AppointmentScreen.tsx',
  'src-renderer/src/features/editor/ReportEditor.tsx',
  'src-renderer/src/features/editor/ReportSurface.tsx',
  'src-renderer/src/features/attachments/AttachmentsPanel.tsx',
  'src-renderer/src/features/attachments/PdfViewer.tsx',
  'node_modules/pdfjs-dist/',
]

async function rendererChunks(): Promise<Rolldown.OutputChunk[]> {
  const renderer = (config as { renderer: Record<string, unknown> & { build: object } }).renderer
  const output = await build({
    ...renderer,
    configFile: false,
    logLevel: 'silent',
    build: { ...renderer.build, write: false, minify: false },
  })
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[]
  return outputs.flatMap((o) => o.output.filter((c): c is Rolldown.OutputChunk => c.type === 'chunk'))
}

function staticClosure(chunks: readonly Rolldown.OutputChunk[]): Set<string> {
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const seen = new Set<string>()
  const visit = (chunk: Rolldown.OutputChunk) => {
    if (seen.has(chunk.fileName)) return
    seen.add(chunk.fileName)
    chunk.imports.forEach((name) => byName.has(name) && visit(byName.get(name)!))
  }
  chunks.filter((c) => c.isEntry).forEach(visit)
  return new Set(chunks.filter((c) => seen.has(c.fileName)).flatMap((c) => c.moduleIds))
}

const relativeIds = (ids: Iterable<string>) =>
  [...ids].map((id) => id.replace(/\\/g, '/').replace(/^.*?\/(src-renderer|node_modules)\//, '$1/'))

describe('the renderer bundle', () => {
  it('loads the other screens (settings, support, setup, wipe, appointment, editor, attachments, pdf.js) on first use, not at start', async () => {
    const chunks = await rendererChunks()
    const atStart = relativeIds(staticClosure(chunks))
    const everywhere = relativeIds(chunks.flatMap((c) => c.moduleIds))
    expect(atStart.some((id) => id.endsWith('features/worklist/WorklistScreen.tsx'))).toBe(true)
    for (const later of LATER) {
      // Each one is in the build (so the name is right) but in a chunk loaded later.
      expect(
        everywhere.some((id) => id.includes(later)),
        later,
      ).toBe(true)
      expect(
        atStart.filter((id) => id.includes(later)),
        later,
      ).toEqual([])
    }
  }, 120_000)
})
