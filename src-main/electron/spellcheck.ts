import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Session } from 'electron'
import type { Settings } from '../../src-preload/contract/settings-schemas'
import type { Logger } from '../common/logger'
import { startDictionaryServer, type DictionaryServer } from './dictionary-server'
import {
  checkerWords,
  chooseLanguages,
  dictionaryFilesFor,
  parseWordList,
  seedDictionaries,
  wordsToAdd,
  wordsToForget,
  type SeedResult,
} from './spellcheck-plan'

/**
 * Spell checking that works offline. On Linux and Windows Chromium's Hunspell checker downloads its
 * dictionaries from a Google CDN by default; we ship them (resources/dictionaries, built by
 * scripts/make-dictionaries.sh), put them in the session's Dictionaries folder before checking
 * starts, and point the downloader at a loopback server over the same files, so a missing file is
 * still served locally and nothing is ever asked of the CDN. macOS uses the system's checker: no copy,
 * no download. The radiology word list and the person's own words are added to the checker, and
 * everything is applied again when the settings change.
 */
export type SpellcheckSession = Pick<
  Session,
  | 'setSpellCheckerEnabled'
  | 'setSpellCheckerLanguages'
  | 'setSpellCheckerDictionaryDownloadURL'
  | 'addWordToSpellCheckerDictionary'
  | 'removeWordFromSpellCheckerDictionary'
  | 'listWordsInSpellCheckerDictionary'
>

export interface SpellcheckSettings {
  readonly settings: Pick<Settings, 'editor'>
  onChange(listener: (view: { readonly settings: Pick<Settings, 'editor'> }) => void): () => void
}

export interface OfflineSpellcheckOptions {
  readonly session: SpellcheckSession
  readonly settings: SpellcheckSettings
  readonly platform: NodeJS.Platform
  /** The shipped resources folder (with dictionaries/ and editor/). */
  readonly resourcesDir: string
  readonly logger: Logger
}

/** Port 9 (discard) on loopback: a request that fails at once and never leaves the machine. */
export const UNREACHABLE_DOWNLOAD_URL = 'http://127.0.0.1:9/'

export interface OfflineSpellcheck {
  close(): Promise<void>
}

/** `<resources>/dictionaries`. */
export function shippedDictionariesDir(resourcesDir: string): string {
  return join(resourcesDir, 'dictionaries')
}

/**
 * Copies the shipped dictionaries into the session's folder. Called before the app is ready, so the
 * files are in place before Chromium's checker first looks (it may start with the session). Never
 * fatal: without the files the loopback server still serves them; null on macOS.
 */
export function seedShippedDictionaries(
  resourcesDir: string,
  /** Asked inside the guard: Electron's path lookup may itself fail this early. */
  sessionDictionariesDir: () => string,
  platform: NodeJS.Platform,
  logger: Logger,
): SeedResult | null {
  if (platform === 'darwin') return null
  try {
    const result = seedDictionaries(
      shippedDictionariesDir(resourcesDir),
      sessionDictionariesDir(),
      dictionaryFilesFor(),
    )
    logger.info('dictionaries seeded', {
      count: result.copied.length,
      kept: result.kept.length,
      missing: result.missing.length,
    })
    if (result.missing.length > 0)
      logger.warn('shipped dictionaries missing', { count: result.missing.length })
    return result
  } catch (error) {
    logger.warn('dictionaries could not be seeded', { error })
    return null
  }
}

export async function startOfflineSpellcheck(
  options: Readonly<OfflineSpellcheckOptions>,
): Promise<OfflineSpellcheck> {
  const { session, settings, platform, resourcesDir, logger } = options
  let server: DictionaryServer | null = null
  if (platform !== 'darwin') {
    // Before any language is set: setting one is what makes Chromium fetch a missing file.
    server = await startDictionaryServer(shippedDictionariesDir(resourcesDir), dictionaryFilesFor()).catch(
      (error: unknown) => {
        logger.warn('dictionary server could not start; missing dictionaries will not load', { error })
        return null
      },
    )
    session.setSpellCheckerDictionaryDownloadURL(server?.baseUrl ?? UNREACHABLE_DOWNLOAD_URL)
  }
  const shipped = readShippedWords(resourcesDir, logger)
  // Chromium keeps added words in the profile across runs: what it holds now is the starting point,
  // so a word the person removed from the settings while the app was closed is forgotten too. The
  // settings are the one list of the person's words.
  let applied: readonly string[] = await session.listWordsInSpellCheckerDictionary().catch(() => [])
  let appliedKey: string | null = null
  const apply = (editor: Settings['editor']): void => {
    const key = JSON.stringify([editor.spellcheckLanguages, editor.customWords])
    if (key === appliedKey) return
    appliedKey = key
    session.setSpellCheckerEnabled(true)
    if (platform !== 'darwin') {
      const { languages, unsupported } = chooseLanguages(editor.spellcheckLanguages)
      if (unsupported.length > 0)
        logger.warn('spell-check languages not shipped', { count: unsupported.length })
      session.setSpellCheckerLanguages([...languages])
    }
    const { words, rejected } = checkerWords(shipped, editor.customWords)
    if (rejected > 0) logger.warn('custom words skipped (not single words)', { count: rejected })
    for (const word of wordsToForget(applied, words)) session.removeWordFromSpellCheckerDictionary(word)
    for (const word of wordsToAdd(applied, words)) session.addWordToSpellCheckerDictionary(word)
    logger.info('spell check applied', { count: words.length })
    applied = words
  }
  apply(settings.settings.editor)
  const unsubscribe = settings.onChange((view) => apply(view.settings.editor))
  return {
    close: async () => {
      unsubscribe()
      await server?.close()
    },
  }
}

function readShippedWords(resourcesDir: string, logger: Logger): readonly string[] {
  try {
    const { words, rejected } = parseWordList(
      readFileSync(join(resourcesDir, 'editor', 'radiology-words.txt'), 'utf8'),
    )
    if (rejected > 0) logger.warn('radiology word list has lines that are not words', { count: rejected })
    return words
  } catch (error) {
    logger.warn('radiology word list could not be read', { error })
    return []
  }
}
