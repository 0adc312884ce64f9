import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Write, fsync, rename, fsync the directory: a rename alone can be lost on power loss, leaving the
 * person with an empty file where they believed their report was (or a vault without its key). The temporary file is private (0600).
 */
export async function writeFileDurably(filePath: string, text: string): Promise<void> {
  const directory = dirname(filePath)
  const temporary = join(directory, `.${basename(filePath)}.${process.pid}.${Date.now()}.tmp`)
  const file = await open(temporary, 'wx', 0o600)
  try {
    await file.writeFile(text, 'utf8')
    await file.sync()
  } finally {
    await file.close()
  }
  try {
    await rename(temporary, filePath)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  await syncDirectory(directory)
}

async function syncDirectory(directory: string): Promise<void> {
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
