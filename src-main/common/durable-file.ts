import { link, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Write, fsync, rename, fsync the directory: a rename alone can be lost on power loss, leaving the
 * person with an empty file where they believed their report was (or a vault without its key). The
 * temporary file is private (0600) and is removed on every failure: it may hold plaintext (an export
 * holds report text), and a half-written copy left beside the target must not outlive the error.
 */
export async function writeFileDurably(filePath: string, text: string): Promise<void> {
  await publishDurably(filePath, text, (temporary) => rename(temporary, filePath))
}

/**
 * The same durable write, but the file must not exist yet: an export never replaces what is at its
 * path — an earlier export of another entry (whose text may be the only copy once that entry was
 * discarded), a file of the person's, or a device such as /dev/null. The temporary file is hard-linked
 * into place, which fails with EEXIST whatever is there; then the temporary name is removed.
 */
export async function createFileDurably(filePath: string, text: string): Promise<void> {
  await publishDurably(filePath, text, async (temporary) => {
    await link(temporary, filePath)
    await rm(temporary, { force: true })
  })
}

async function publishDurably(
  filePath: string,
  text: string,
  publish: (temporary: string) => Promise<void>,
): Promise<void> {
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
    await publish(temporary)
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
