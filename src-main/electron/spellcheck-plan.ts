import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
} from 'node:fs'
import { join } from 'node:path'

/**
 * The pure half of offline spell checking (no Electron here, so Node tests cover it): which Chromium
 * dictionary file serves which language, which of the person's languages we can serve, the word list
 * parse, and seeding the session's dictionary folder from the files we ship. spellcheck.ts wires it
 * to Electron's session.
 *
 * Chromium looks for `<sessionData>/Dictionaries/<language>-<version>.bdic` and, when the file is
 * missing, downloads it from its CDN; with the file in place, nothing is downloaded. The names are
 * Chromium's own (its spellcheck language table; en-* are version 10-1). scripts/make-dictionaries.sh
 * builds the same files from Debian's Hunspell dictionaries; keep both lists in step.
 */
export const SHIPPED_DICTIONARIES: Readonly<Record<string, string>> = {
  'en-US': 'en-US-10-1.bdic',
  'en-GB': 'en-GB-10-1.bdic',
  'en-AU': 'en-AU-10-1.bdic',
}
export const FALLBACK_LANGUAGE = 'en-US'
/** Chromium drops custom-dictionary words longer than this many UTF-8 bytes. */
export const MAX_CUSTOM_WORD_BYTES = 99

export interface LanguageChoice {
  /** What the checker is set to: the person's languages that we ship, or the fallback. */
  readonly languages: readonly string[]
  /** Asked for but not shipped (Chromium would fetch them from its CDN, so they are left out). */
  readonly unsupported: readonly string[]
}

/** The person's languages (settings.editor.spellcheckLanguages) that we can serve offline. */
export function chooseLanguages(requested: readonly string[]): LanguageChoice {
  const shipped = Object.keys(SHIPPED_DICTIONARIES)
  const languages: string[] = []
  const unsupported: string[] = []
  for (const language of requested) {
    const match = shipped.find((code) => code.toLowerCase() === language.trim().toLowerCase())
    if (match === undefined) unsupported.push(language)
    else if (!languages.includes(match)) languages.push(match)
  }
  return { languages: languages.length > 0 ? languages : [FALLBACK_LANGUAGE], unsupported }
}

/** The .bdic file names for the languages (all shipped ones when none are given). */
export function dictionaryFilesFor(
  languages: readonly string[] = Object.keys(SHIPPED_DICTIONARIES),
): string[] {
  return languages.flatMap((language) => {
    const file = SHIPPED_DICTIONARIES[language]
    return file === undefined ? [] : [file]
  })
}

const WORD = /^[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}])?$/u
const encoder = new TextEncoder()

/** A word the checker can take: letters and digits (inner ' or -), at most MAX_CUSTOM_WORD_BYTES. */
export function isCheckerWord(word: string): boolean {
  return WORD.test(word) && encoder.encode(word).length <= MAX_CUSTOM_WORD_BYTES
}

export interface WordList {
  readonly words: readonly string[]
  /** Lines that are not one word (counted, never logged: a person's own words may be names). */
  readonly rejected: number
}

/** resources/editor/radiology-words.txt: one word a line, `#` comments and blank lines skipped. */
export function parseWordList(text: string): WordList {
  const words = new Set<string>()
  let rejected = 0
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (isCheckerWord(line)) words.add(line)
    else rejected += 1
  }
  return { words: [...words], rejected }
}

/** The words the checker is given: the shipped list and the person's own, once each. */
export function checkerWords(shipped: readonly string[], custom: readonly string[]): WordList {
  const words = new Set(shipped)
  let rejected = 0
  for (const word of custom) {
    const trimmed = word.trim()
    if (isCheckerWord(trimmed)) words.add(trimmed)
    else rejected += 1
  }
  return { words: [...words], rejected }
}

/** Words the checker had from an earlier list and must forget (the person removed them). */
export function wordsToForget(previous: readonly string[], next: readonly string[]): string[] {
  const kept = new Set(next)
  return previous.filter((word) => !kept.has(word))
}

/** Words of the new list the checker does not have yet. */
export function wordsToAdd(previous: readonly string[], next: readonly string[]): string[] {
  return wordsToForget(next, previous)
}

export interface SeedResult {
  readonly copied: readonly string[]
  readonly kept: readonly string[]
  /** Listed but not in the shipped folder (a broken build): Chromium would download these. */
  readonly missing: readonly string[]
}

/**
 * Puts each shipped dictionary into the session's folder before spell checking starts. A file already
 * there with the same size is kept (Chromium may hold it open); another is replaced through a
 * temporary file and a rename, so Chromium never reads half a dictionary. Other files (one the person
 * downloaded for another language, say) are left alone.
 */
export function seedDictionaries(sourceDir: string, targetDir: string, files: readonly string[]): SeedResult {
  mkdirSync(targetDir, { recursive: true, mode: 0o700 })
  const copied: string[] = []
  const kept: string[] = []
  const missing: string[] = []
  for (const file of files) {
    const source = join(sourceDir, file)
    const target = join(targetDir, file)
    if (!existsSync(source)) {
      missing.push(file)
      continue
    }
    if (existsSync(target) && statSync(target).size === statSync(source).size) {
      kept.push(file)
      continue
    }
    const temporary = `${target}.${process.pid}.tmp`
    copyFileSync(source, temporary)
    const handle = openSync(temporary, 'r+')
    try {
      fsyncSync(handle)
    } finally {
      closeSync(handle)
    }
    renameSync(temporary, target)
    copied.push(file)
  }
  return { copied, kept, missing }
}
