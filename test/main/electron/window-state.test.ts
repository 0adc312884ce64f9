import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src-main/common/logger'
import {
  displayOf,
  placeWindow,
  WindowStateFile,
  type DisplayArea,
} from '../../../src-main/electron/window-state'

const laptop: DisplayArea = { id: 1, primary: true, workArea: { x: 0, y: 25, width: 1440, height: 875 } }
const rightMonitor: DisplayArea = { id: 2, workArea: { x: 1440, y: 0, width: 2560, height: 1440 } }

describe('placeWindow', () => {
  it('centres a first window on the primary display, at the default size where it fits', () => {
    expect(placeWindow(null, [rightMonitor, laptop])).toEqual({
      bounds: { x: 0, y: 25, width: 1440, height: 875 },
      maximized: false,
    })
    expect(placeWindow(null, [{ ...rightMonitor, primary: true }]).bounds).toEqual({
      x: 1440 + 560,
      y: 270,
      width: 1440,
      height: 900,
    })
  })

  it('puts the window back where it was, on the monitor it was on, maximized or not', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: true, displayId: 2 }
    expect(placeWindow(saved, [laptop, rightMonitor])).toEqual({
      bounds: { x: 2000, y: 100, width: 1600, height: 1000 },
      maximized: true,
    })
  })

  it('brings back a window whose monitor was unplugged, centred on the primary display', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: false, displayId: 2 }
    expect(placeWindow(saved, [laptop]).bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 })
  })

  it('pulls a window hanging off the edge back inside the display it is on, shrinking it to fit', () => {
    const saved = { x: 1300, y: -500, width: 1600, height: 1000, maximized: false, displayId: 1 }
    // Title bar above every display: not reachable; its display still exists, so it goes there.
    expect(placeWindow(saved, [laptop]).bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 })
    const partly = { x: 1000, y: 100, width: 900, height: 600, maximized: false }
    expect(placeWindow(partly, [laptop]).bounds).toEqual({ x: 540, y: 100, width: 900, height: 600 })
  })

  it('tells which display a window is mostly on', () => {
    expect(displayOf({ x: 1300, y: 100, width: 800, height: 600 }, [laptop, rightMonitor])?.id).toBe(2)
  })
})

describe('WindowStateFile', () => {
  let dir: string
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps the state across starts and ignores a file it cannot read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'qubs-window-'))
    const file = new WindowStateFile(join(dir, 'window-state.json'), silentLogger)
    expect(await file.read()).toBeNull()
    const state = { x: 10, y: 20, width: 1000, height: 700, maximized: false, displayId: 1 }
    await file.write(state)
    expect(await file.read()).toEqual(state)
    writeFileSync(join(dir, 'window-state.json'), '{"x":"left"}')
    expect(await file.read()).toBeNull()
  })
})
