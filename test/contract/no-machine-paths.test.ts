import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'

/**
 * No committed file names a path of one particular machine (a developer's home, a build box's work
 * folder): instructions must work on any checkout. Built from parts so this file does not match itself.
 */
const ROOT = resolve(import.meta.dirname, '../..')
const MACHINE_PATHS = ['work', 'root', 'home'].map((dir) => new RegExp(`(^|[\\s"'\`(=:])/${dir}/`, 'm'))

it('no committed file names a machine-specific absolute path', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path !== '' && !/\.(png|ico|icns|pdf|woff2?|sqlite)$/.test(path))
  const offenders = files.filter((path) => {
    let text: string
    try {
      text = readFileSync(resolve(ROOT, path), 'utf8')
    } catch {
      return false
    }
    return MACHINE_PATHS.some((pattern) => pattern.test(text))
  })
  expect(offenders).toEqual([])
})
