import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { decodeUtf8Text, wellFormedText } from '../../src-preload/contract/text'
import { usageError } from './cli-error'

/**
 * Where the CLI takes text and files in. Text is never silently changed (the contract's text rule):
 * invalid UTF-8 is refused with the byte offset, the leading BOM is dropped. Problems are described by
 * flag and reason only: a file name or its content may hold patient details.
 */
export async function readTextFile(cwd: string, path: string, flag: string): Promise<string> {
  const decoded = decodeUtf8Text(await readInputFile(cwd, path, flag))
  if (!decoded.ok) throw usageError(`${flag}: the file ${decoded.message}; save it as UTF-8`)
  return decoded.text
}

export function readInputFile(cwd: string, path: string, flag: string): Promise<Buffer> {
  return readFile(resolve(cwd, path)).catch((error: unknown) => {
    throw usageError(`${flag}: ${describeFileError(error, 'read')}`)
  })
}

/**
 * Text given on the command line. Node decodes argv with replacement, so bytes that were not UTF-8
 * arrive as U+FFFD: one in an argument is refused rather than sent on as if it were the text.
 */
export function textArgument(value: string, flag: string): string {
  if (value.includes('\uFFFD'))
    throw usageError(`${flag}: the argument is not valid UTF-8 (or holds U+FFFD); use --text-file`)
  const parsed = wellFormedText(flag).safeParse(value)
  if (!parsed.success) throw usageError(`${flag}: the argument cannot be sent as UTF-8`)
  return parsed.data
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in the path',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EEXIST: 'it already exists',
}

/** A file system error in words, by its code (never its message, which quotes the path). */
export function describeFileError(error: unknown, action: 'read' | 'write' | 'use'): string {
  const code = fileErrorCode(error)
  const reason = code === undefined ? undefined : REASONS[code]
  const prefix = `could not be ${action === 'read' ? 'read' : action === 'write' ? 'written' : 'used'}`
  if (reason) return `${prefix}: ${reason} (${String(code)})`
  return code === undefined ? prefix : `${prefix} (${code})`
}

/** The errno-style code of a file system error (ENOENT, EACCES…), if it is one. */
export function fileErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined
}
