import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Write, fsync, rename, fsync the directory: a rename alone can be lost on power loss, leaving the
 * person with an empty file where they believed their report was (or a vault without its key). The
 * temporary file is private (0600) and is removed on every failure: it may hold plaintext (an export
 * holds report text), and a half-written copy left beside the target must not outlive the error.
 */
export async function writeFileDurably(filePath: string, text: string): Promise<void> {
  const directory = dirname(filePath)
  const temporary = join(directory, `.${basename(filePath)}.${process.pid}.${Date.now()}.tmp`)
  const file = await open(temporary, 'wx', 0o600)
  try {
    try {
      await file.writeFile(text, 'utf8')
      await file.sync()
    } catch (error) {
      // The write's error is the one worth reporting; a failing close after it adds nothing.
      await file.close().catch(() => undefined)
      throw error
    }
    await file.close()
    await rename(temporary, filePath)
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined)
    throw error
  }
  await syncDirectory(directory)
}

/** Puts a directory's entries (a rename, a link) on disk; a no-op where the OS cannot (Windows). */
export async function syncDirectory(directory: string): Promise<void> {
  let handle
  try {
    handle = await open(directory, 'r')
    await handle.sync()
  } catch (error) {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error
  } finally {
    await handle?.close()
  }
}
