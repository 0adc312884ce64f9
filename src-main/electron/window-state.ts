import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { writeFileDurably } from '../common/durable-file'
import { parseJsonText } from '../common/json-text'
import type { Logger } from '../common/logger'

/**
 * The main window's size, position, monitor and maximized state, remembered in
 * `<userData>/window-state.json`. Electron-free (tested in Node): the composition root passes the
 * displays from `screen.getAllDisplays()`. A saved place is used only while enough of its title bar
 * lies on a display that still exists — a monitor unplugged since, or a resolution lowered, must not
 * open the window where nobody can reach it; then it goes to the same display's work area or, failing
 * that, centred on the primary display.
 */
export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface DisplayArea {
  readonly id: number
  readonly workArea: Rect
  readonly primary?: boolean
}

const int = z.number().int().min(-100_000).max(100_000)
export const WindowStateSchema = z.object({
  x: int,
  y: int,
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean(),
  displayId: z.number().int().optional(),
})
export type WindowState = z.infer<typeof WindowStateSchema>

export const DEFAULT_WINDOW_SIZE = { width: 1440, height: 900 } as const
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const
/** How much of the top strip (the title bar) must be on a display to count as reachable. */
const GRAB_WIDTH = 120
const GRAB_HEIGHT = 32

export interface Placement {
  readonly bounds: Rect
  readonly maximized: boolean
}

export function placeWindow(saved: WindowState | null, displays: readonly DisplayArea[]): Placement {
  const primary = displays.find((d) => d.primary) ?? displays[0]
  if (!primary) return { bounds: { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE }, maximized: false }
  if (saved) {
    const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: GRAB_HEIGHT }
    const reachable = displays.find((d) => {
      const overlap = intersection(titleBar, d.workArea)
      return overlap.width >= Math.min(GRAB_WIDTH, saved.width) && overlap.height > 0
    })
    if (reachable) return { bounds: fitInto(saved, reachable.workArea), maximized: saved.maximized }
    const same = displays.find((d) => d.id === saved.displayId)
    if (same) return { bounds: centredIn(same.workArea, saved), maximized: saved.maximized }
    return { bounds: centredIn(primary.workArea, saved), maximized: saved.maximized }
  }
  return { bounds: centredIn(primary.workArea, DEFAULT_WINDOW_SIZE), maximized: false }
}

/** The display a window is mostly on (for `displayId`), by overlapping area. */
export function displayOf(bounds: Rect, displays: readonly DisplayArea[]): DisplayArea | undefined {
  let best: DisplayArea | undefined
  let bestArea = 0
  for (const display of displays) {
    const overlap = intersection(bounds, display.workArea)
    const area = overlap.width * overlap.height
    if (area > bestArea) {
      best = display
      bestArea = area
    }
  }
  return best
}

function intersection(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return { width: Math.max(0, width), height: Math.max(0, height) }
}

/** The same size where it fits (shrunk to the area if larger), moved inside the area. */
function fitInto(rect: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(rect.width, MIN_WINDOW_SIZE.width), area.width)
  const height = Math.min(Math.max(rect.height, MIN_WINDOW_SIZE.height), area.height)
  const x = Math.min(Math.max(rect.x, area.x), area.x + area.width - width)
  const y = Math.min(Math.max(rect.y, area.y), area.y + area.height - height)
  return { x, y, width, height }
}

function centredIn(area: Rect, size: { readonly width: number; readonly height: number }): Rect {
  const width = Math.min(Math.max(size.width, MIN_WINDOW_SIZE.width), area.width)
  const height = Math.min(Math.max(size.height, MIN_WINDOW_SIZE.height), area.height)
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  }
}

/** The remembered state on disk; a file that does not parse is ignored (the window is centred). */
export class WindowStateFile {
  readonly #path: string
  readonly #logger: Logger

  constructor(path: string, logger: Logger) {
    this.#path = path
    this.#logger = logger.child('window-state')
  }

  async read(): Promise<WindowState | null> {
    let text: string
    try {
      text = await readFile(this.#path, 'utf8')
    } catch {
      return null
    }
    const parsed = WindowStateSchema.safeParse(parseJsonText(text))
    if (!parsed.success) this.#logger.warn('the saved window place could not be read; centring the window')
    return parsed.success ? parsed.data : null
  }

  async write(state: WindowState): Promise<void> {
    await writeFileDurably(this.#path, `${JSON.stringify(WindowStateSchema.parse(state))}\n`)
  }
}
