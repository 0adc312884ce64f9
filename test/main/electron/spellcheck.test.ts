import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createLogger, memorySink } from '../../../src-main/common/logger'
import { applyDictationSupport } from '../../../src-main/electron/accessibility'
import { startDictionaryServer } from '../../../src-main/electron/dictionary-server'
import {
  seedShippedDictionaries,
  startOfflineSpellcheck,
  type SpellcheckSession,
} from '../../../src-main/electron/spellcheck'
import {
  SHIPPED_DICTIONARIES,
  checkerWords,
  chooseLanguages,
  dictionaryFilesFor,
  parseWordList,
  seedDictionaries,
  wordsToAdd,
  wordsToForget,
} from '../../../src-main/electron/spellcheck-plan'
import { SettingsSchema, type Settings } from '../../../src-preload/contract/settings-schemas'

const root = resolve(import.meta.dirname, '../../..')
const resourcesDir = join(root, 'resources')
const scratchDirs: string[] = []
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'qubs-spell-'))
  scratchDirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A stand-in for Electron's session that records what the app asked of the checker. */
function fakeSession(kept: string[] = []) {
  const calls: {
    order: string[]
    downloadUrl: string[]
    languages: string[][]
    added: string[]
    removed: string[]
  } = {
    order: [],
    downloadUrl: [],
    languages: [],
    added: [],
    removed: [],
  }
  const session: SpellcheckSession = {
    setSpellCheckerEnabled: () => undefined,
    setSpellCheckerLanguages: (languages) => {
      calls.order.push('languages')
      calls.languages.push([...languages])
    },
    setSpellCheckerDictionaryDownloadURL: (url) => {
      calls.order.push('downloadUrl')
      calls.downloadUrl.push(url)
    },
    addWordToSpellCheckerDictionary: (word) => (calls.added.push(word), true),
    removeWordFromSpellCheckerDictionary: (word) => (calls.removed.push(word), true),
    listWordsInSpellCheckerDictionary: () => Promise.resolve(kept),
  }
  return { session, calls }
}

function fakeSettings(editor: Partial<Settings['editor']>) {
  const listeners = new Set<(view: { settings: Settings }) => void>()
  const store = {
    settings: SettingsSchema.parse({ editor }),
    onChange: (listener: (view: { settings: Settings }) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    change(patch: Partial<Settings['editor']>, accessibility?: Settings['accessibility']) {
      store.settings = SettingsSchema.parse({
        editor: { ...store.settings.editor, ...patch },
        accessibility: accessibility ?? store.settings.accessibility,
      })
      for (const listener of listeners) listener({ settings: store.settings })
    },
  }
  return store
}

const logs = memorySink()
const logger = createLogger('test', { sink: logs })

describe('spell-check plan', () => {
  it('ships a Chromium .bdic for every language it names, built by the script', () => {
    const shipped = readdirSync(join(resourcesDir, 'dictionaries')).filter((f) => f.endsWith('.bdic'))
    expect(shipped.toSorted()).toEqual(dictionaryFilesFor().toSorted())
    for (const file of shipped) {
      // Chromium's BDict header: a Hunspell .dic would be refused (and then downloaded).
      expect(
        readFileSync(join(resourcesDir, 'dictionaries', file))
          .subarray(0, 4)
          .toString('latin1'),
      ).toBe('BDic')
    }
    const script = readFileSync(join(root, 'scripts/make-dictionaries.sh'), 'utf8')
    for (const file of Object.values(SHIPPED_DICTIONARIES))
      expect(script).toContain(file.replace('.bdic', ''))
  })

  it('keeps the person’s shipped languages (any case), drops others, and falls back to en-US', () => {
    expect(chooseLanguages(['en-gb', 'de-DE', 'EN-AU', 'en-GB'])).toEqual({
      languages: ['en-GB', 'en-AU'],
      unsupported: ['de-DE'],
    })
    expect(chooseLanguages(['fr-FR'])).toEqual({ languages: ['en-US'], unsupported: ['fr-FR'] })
    expect(chooseLanguages([])).toEqual({ languages: ['en-US'], unsupported: [] })
    expect(dictionaryFilesFor(['en-GB', 'xx'])).toEqual(['en-GB-10-1.bdic'])
  })

  it('parses the word list: one word a line, comments and blanks skipped, other lines counted', () => {
    expect(parseWordList('# comment\n\nhilar\r\n  osteophyte \nnot one word\nhilar\n-dash\n')).toEqual({
      words: ['hilar', 'osteophyte'],
      rejected: 2,
    })
    const shipped = parseWordList(readFileSync(join(resourcesDir, 'editor/radiology-words.txt'), 'utf8'))
    expect(shipped.rejected).toBe(0)
    expect(shipped.words.length).toBeGreaterThanOrEqual(300)
    expect(shipped.words).toEqual(expect.arrayContaining(['pneumothorax', 'spondylolisthesis', 'FLAIR']))
  })

  it('merges the person’s words once each and knows which to forget', () => {
    expect(checkerWords(['hilar'], [' Smithson ', 'hilar', 'two words', 'x'.repeat(100)])).toEqual({
      words: ['hilar', 'Smithson'],
      rejected: 2,
    })
    expect(wordsToForget(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual(['b'])
    expect(wordsToAdd(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual(['d'])
  })

  it('seeds the session folder: copies what is missing or torn, keeps a complete copy, leaves others alone', () => {
    const source = scratch()
    writeFileSync(join(source, 'en-US-10-1.bdic'), 'BDic complete')
    writeFileSync(join(source, 'en-GB-10-1.bdic'), 'BDic gb')
    const target = join(scratch(), 'Dictionaries')
    mkdirSync(target)
    writeFileSync(join(target, 'en-US-10-1.bdic'), 'BDic')
    writeFileSync(join(target, 'en-GB-10-1.bdic'), 'BDic xx')
    writeFileSync(join(target, 'de-DE-3-0.bdic'), 'downloaded earlier')
    const result = seedDictionaries(source, target, ['en-US-10-1.bdic', 'en-GB-10-1.bdic', 'en-AU-10-1.bdic'])
    expect(result).toEqual({
      copied: ['en-US-10-1.bdic'],
      kept: ['en-GB-10-1.bdic'],
      missing: ['en-AU-10-1.bdic'],
    })
    expect(readFileSync(join(target, 'en-US-10-1.bdic'), 'utf8')).toBe('BDic complete')
    expect(readdirSync(target).toSorted()).toEqual(['de-DE-3-0.bdic', 'en-GB-10-1.bdic', 'en-US-10-1.bdic'])
  })

  it('seeds the real shipped files, not at all on macOS, and never throws', () => {
    const target = join(scratch(), 'Dictionaries')
    expect(seedShippedDictionaries(resourcesDir, () => target, 'linux', logger)?.copied.length).toBe(3)
    expect(seedShippedDictionaries(resourcesDir, () => join(scratch(), 'none'), 'darwin', logger)).toBeNull()
    expect(readdirSync(target).toSorted()).toEqual(dictionaryFilesFor().toSorted())
    const noPath = () => {
      throw new Error('no session data path yet')
    }
    expect(seedShippedDictionaries(resourcesDir, noPath, 'win32', logger)).toBeNull()
  })
})

describe('loopback dictionary server', () => {
  it('serves the shipped files by name ignoring case (as Chromium asks), and nothing else', async () => {
    const server = await startDictionaryServer(join(resourcesDir, 'dictionaries'), dictionaryFilesFor())
    try {
      expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const lower = await fetch(`${server.baseUrl}en-us-10-1.bdic`)
      expect(lower.status).toBe(200)
      const bytes = new Uint8Array(await lower.arrayBuffer())
      expect(bytes).toEqual(new Uint8Array(readFileSync(join(resourcesDir, 'dictionaries/en-US-10-1.bdic'))))
      expect((await fetch(`${server.baseUrl}en-GB-10-1.bdic`, { method: 'HEAD' })).status).toBe(200)
      for (const path of [
        'de-de-3-0.bdic',
        'licenses/en-US-10-1.copyright.txt',
        '..%2Fen-US-10-1.bdic',
        '',
      ]) {
        expect((await fetch(`${server.baseUrl}${path}`)).status, path).toBe(404)
      }
      expect((await fetch(`${server.baseUrl}en-us-10-1.bdic`, { method: 'POST' })).status).toBe(405)
    } finally {
      await server.close()
    }
  })
})

/** The wiring on a fake session, with the real shipped resources. */
async function started(
  editor: Partial<Settings['editor']>,
  platform: NodeJS.Platform = 'linux',
  kept: string[] = [],
) {
  const { session, calls } = fakeSession(kept)
  const settings = fakeSettings(editor)
  const spellcheck = await startOfflineSpellcheck({ session, settings, platform, resourcesDir, logger })
  return { calls, settings, spellcheck }
}

describe('offline spell check wiring', () => {
  it('points the downloader at the loopback server before setting languages, adds the words, re-applies on change', async () => {
    const { calls, settings, spellcheck } = await started({
      spellcheckLanguages: ['en-GB', 'de-DE'],
      customWords: ['Smithson'],
    })
    try {
      expect(calls.downloadUrl).toHaveLength(1)
      expect(calls.downloadUrl[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      expect((await fetch(`${calls.downloadUrl[0]}en-gb-10-1.bdic`)).status).toBe(200)
      expect(calls.languages).toEqual([['en-GB']])
      expect(calls.order).toEqual(['downloadUrl', 'languages'])
      expect(calls.added).toEqual(expect.arrayContaining(['pneumothorax', 'Smithson']))

      settings.change({ spellcheckLanguages: ['en-AU'], customWords: ['Jonesley'] })
      expect(calls.languages.at(-1)).toEqual(['en-AU'])
      expect(calls.removed).toEqual(['Smithson'])
      expect(calls.added.at(-1)).toBe('Jonesley')
      // The person's words are never logged (they may be names).
      expect(JSON.stringify(logs.records)).not.toMatch(/Smithson|Jonesley/)
    } finally {
      await spellcheck.close()
    }
  })

  it('forgets words Chromium kept from an earlier run that the settings no longer hold', async () => {
    const { calls, spellcheck } = await started({ customWords: ['Smithson'] }, 'win32', [
      'Oldname',
      'hilar',
      'Smithson',
    ])
    await spellcheck.close()
    expect(calls.removed).toEqual(['Oldname'])
  })

  it('re-applies only when the spell-check settings change, not for any other setting', async () => {
    const { calls, settings, spellcheck } = await started({})
    try {
      const added = calls.added.length
      settings.change({ fontSizePx: 24 })
      expect(calls.languages).toHaveLength(1)
      expect(calls.added).toHaveLength(added)
      settings.change({ customWords: ['Newword'] })
      expect(calls.added).toHaveLength(added + 1)
    } finally {
      await spellcheck.close()
    }
  })

  it('on macOS leaves languages and downloads to the system checker, but still adds the words', async () => {
    const { calls, spellcheck } = await started({}, 'darwin')
    await spellcheck.close()
    expect(calls.downloadUrl).toEqual([])
    expect(calls.languages).toEqual([])
    expect(calls.added.length).toBeGreaterThanOrEqual(300)
  })

  it('turns Chromium’s accessibility support on or off with the dictation setting, at start and on change', () => {
    const states: boolean[] = []
    const settings = fakeSettings({})
    const stop = applyDictationSupport(
      { setAccessibilitySupportEnabled: (on) => void states.push(on) },
      settings,
    )
    settings.change({}, { dictationSupport: false })
    stop()
    settings.change({}, { dictationSupport: true })
    expect(states).toEqual([true, false])
  })

  it('ships resources/dictionaries and resources/editor with the app (electron-builder extraResources)', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
      extraResources: { from: string; to: string; filter: string[] }[]
    }
    const shipsFolder = (folder: string) =>
      config.extraResources.some(
        (entry) =>
          (entry.from === 'resources/' || entry.from === `resources/${folder}/`) &&
          entry.filter.some((pattern) => pattern === '**/*' || pattern.startsWith(`${folder}/`)),
      )
    expect(shipsFolder('dictionaries')).toBe(true)
    expect(shipsFolder('editor')).toBe(true)
  })
})
