import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { parseJsonText } from '../common/json-text'

/**
 * The outbox is opened with an exclusive SQLite lock, so a second process gets "busy" and nothing
 * more. To say WHO holds it, the holder writes a small note beside the database (pid, the command
 * name only — never its arguments, which may hold patient details — and since when) and removes it
 * on close. The note is advisory: a stale one (its process is gone) is ignored.
 */
export const LOCK_INFO_SUFFIX = '.lock-info'

const LockInfoSchema = z.object({
  pid: z.number().int().positive(),
  command: z.string().max(200),
  since: z.iso.datetime(),
})
export type LockInfo = z.infer<typeof LockInfoSchema>

export interface LockInfoOptions {
  readonly outboxPath: string
  /** Whether a process id is alive; injected for tests. */
  readonly isAlive?: (pid: number) => boolean
}

export interface HolderOptions extends LockInfoOptions {
  /** How long to wait for the holder's note, which it writes just after it took the lock. */
  readonly graceMs?: number
  readonly sleep?: (ms: number) => Promise<void>
}

const NOTE_GRACE_MS = 1_000
const NOTE_POLL_MS = 50

/** Best effort: a note that cannot be written only makes a "busy" message less specific. */
export function writeLockInfo(outboxPath: string, info: LockInfo): boolean {
  try {
    writeFileSync(`${outboxPath}${LOCK_INFO_SUFFIX}`, `${JSON.stringify(info)}\n`, { mode: 0o600 })
    return true
  } catch {
    return false
  }
}

/** Removes the note only when it is ours (another process may have taken over since). */
export function removeLockInfo(outboxPath: string, pid: number): void {
  if (readLockInfo({ outboxPath, isAlive: () => true })?.pid !== pid) return
  rmSync(`${outboxPath}${LOCK_INFO_SUFFIX}`, { force: true })
}

/** The live holder's note, or undefined when there is none, it is unreadable, or its process is gone. */
export function readLockInfo(options: Readonly<LockInfoOptions>): LockInfo | undefined {
  let text: string
  try {
    text = readFileSync(`${options.outboxPath}${LOCK_INFO_SUFFIX}`, 'utf8')
  } catch {
    return undefined
  }
  const parsed = LockInfoSchema.safeParse(parseJsonText(text))
  if (!parsed.success) return undefined
  return (options.isAlive ?? processIsAlive)(parsed.data.pid) ? parsed.data : undefined
}

/**
 * "busy" in words: who holds the outbox, as far as we can tell. The holder takes the lock first and
 * writes its note right after, so a process that just met the lock waits a moment for the note.
 */
export async function describeHolder(options: Readonly<HolderOptions>): Promise<string> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)))
  const graceMs = options.graceMs ?? NOTE_GRACE_MS
  let info = readLockInfo(options)
  for (let waited = 0; !info && waited < graceMs; waited += NOTE_POLL_MS) {
    await sleep(NOTE_POLL_MS)
    info = readLockInfo(options)
  }
  if (!info)
    return 'the outbox is in use by another process (the QUBS Reporter app or harness, or a CLI without a note); close it and try again'
  return `the outbox is in use by another process (pid ${info.pid}: ${info.command}, since ${info.since}); wait for it or stop it, then try again`
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
