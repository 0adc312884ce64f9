/**
 * Orders the writes of each draft (one key per appointment). Two things lost words before it:
 * reopening an appointment read its draft while the closing save was still on its way (the field then
 * showed, and the next save stored, the older text), and nothing stopped an earlier save from landing
 * after a later one. Now every write of a key runs after the one before it, and `settled(key)` waits
 * for all of them, including a closing save that has not reached the queue yet (`track`).
 */
export class DraftWriteQueue {
  /** The last write queued per key; removed once it is the last and it ended. */
  readonly #tails = new Map<string, Promise<void>>()
  /** Work that will queue writes for a key (the closing flush waits for a running write first). */
  readonly #tracked = new Map<string, Set<Promise<unknown>>>()

  /** Runs `write` after every earlier write of `key`; its own outcome is the caller's. */
  run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve()
    const result = before.then(write)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }

  /**
   * Counts `work` as pending for `key` until it ends: for a save that starts later (after a running
   * write) but must be waited for by whoever reads the draft next. `work` must not wait for
   * `settled(key)` itself.
   */
  track(key: string, work: Promise<unknown>): void {
    const set = this.#tracked.get(key) ?? new Set()
    this.#tracked.set(key, set)
    set.add(work)
    const done = () => {
      set.delete(work)
      if (set.size === 0 && this.#tracked.get(key) === set) this.#tracked.delete(key)
    }
    work.then(done, done)
  }

  /** Resolves once no write of `key` is queued, running or announced; never rejects. */
  async settled(key: string): Promise<void> {
    for (;;) {
      const tracked = [...(this.#tracked.get(key) ?? [])]
      const tail = this.#tails.get(key)
      if (tracked.length === 0 && tail === undefined) return
      await Promise.allSettled([...tracked, tail])
    }
  }
}
