import type { DraftContent } from '../../db/drafts'

/** Timer functions, injected so tests drive time themselves. */
export interface AutosaveTimers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface DraftAutosaverOptions {
  readonly delayMs: number
  /** Reads the editor's current state (text, caret, scroll); called only when a save runs. */
  readonly read: () => DraftContent
  readonly write: (content: DraftContent) => Promise<void>
  readonly onError: (error: unknown) => void
  readonly timers?: AutosaveTimers
}

const browserTimers: AutosaveTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** How long after the last change a draft is written: a pause in dictation, not every keystroke. */
export const AUTOSAVE_DELAY_MS = 300

/**
 * Saves a draft after every change, off the input path: `changed()` is all the input handler does
 * (mark dirty, schedule — O(1), the 2 MB text is not even read), and the save itself reads the text
 * later, once typing pauses. While an IME composition is open (Windows voice typing keeps one open
 * across sentences) nothing is read or saved; the save follows `compositionEnded()`. Saves never
 * overlap: a change during a write is saved by one more write after it. The saver never writes to the
 * text field.
 */
export class DraftAutosaver {
  readonly #options: DraftAutosaverOptions
  readonly #timers: AutosaveTimers
  #dirty = false
  #composing = false
  #timer: unknown = null
  #writing: Promise<void> | null = null

  constructor(options: Readonly<DraftAutosaverOptions>) {
    this.#options = options
    this.#timers = options.timers ?? browserTimers
  }

  get dirty(): boolean {
    return this.#dirty
  }

  /** The text, caret or scroll changed. */
  changed(): void {
    this.#dirty = true
    if (this.#composing || this.#timer !== null) this.#cancelTimer()
    if (!this.#composing) this.#timer = this.#timers.set(() => this.#fire(), this.#options.delayMs)
  }

  compositionStarted(): void {
    this.#composing = true
    this.#cancelTimer()
  }

  compositionEnded(): void {
    this.#composing = false
    if (this.#dirty) this.changed()
  }

  /**
   * Saves now if anything changed (before submit, on `pagehide` / `visibilitychange`): even during a
   * composition, since the page may be going away and the words on screen are what the person said.
   */
  async flush(): Promise<void> {
    this.#cancelTimer()
    if (this.#writing) await this.#writing
    if (this.#dirty) await this.#save()
  }

  /** Stops the timer (the editor closes); a pending change should be flushed first. */
  dispose(): void {
    this.#cancelTimer()
  }

  #cancelTimer() {
    if (this.#timer !== null) this.#timers.clear(this.#timer)
    this.#timer = null
  }

  #fire() {
    this.#timer = null
    if (this.#composing) return
    if (this.#writing) {
      // Saved again once the running write ends.
      void this.#writing.then(() => this.#dirty && !this.#composing && this.changed())
      return
    }
    void this.#save()
  }

  async #save(): Promise<void> {
    this.#dirty = false
    const content = this.#options.read()
    const writing = this.#options.write(content).catch((error: unknown) => {
      // Not saved: still dirty, so the next change or flush tries again.
      this.#dirty = true
      this.#options.onError(error)
    })
    this.#writing = writing
    try {
      await writing
    } finally {
      if (this.#writing === writing) this.#writing = null
    }
  }
}
