#!/usr/bin/env node
// Draws the QUBS Reporter icon and writes every file packaging needs into resources/icons/:
// icon.svg (the drawing), NxN.png for 16…1024 (Linux, and the sources of the others), icon.png (512),
// icon.ico (Windows, PNG entries) and icon.icns (macOS). No dependencies: the same shapes are
// rasterised here with supersampling, PNGs are encoded with node:zlib, and the .ico and .icns
// containers are a few headers around those PNGs. Deterministic: the same bytes on every run, so the
// committed files can be checked against the script (`--check`).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons')
export const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

// The drawing, in a 1×1 square: a rounded navy tile, a white report sheet with text lines, and a teal
// "Q" ring (QUBS) with its tail over the sheet's lower right corner.
const NAVY = [22, 54, 92]
const SHEET = [250, 251, 253]
const LINE = [150, 172, 196]
const TEAL = [32, 178, 160]

const tile = { x: 0.04, y: 0.04, w: 0.92, h: 0.92, r: 0.2 }
const sheet = { x: 0.22, y: 0.16, w: 0.46, h: 0.62, r: 0.04 }
const lines = [0.28, 0.37, 0.46, 0.55].map((y, i) => ({
  x: 0.29,
  y,
  w: i === 3 ? 0.18 : 0.32,
  h: 0.035,
  r: 0.017,
}))
const ring = { cx: 0.66, cy: 0.66, outer: 0.19, inner: 0.12 }
const tail = { x1: 0.74, y1: 0.74, x2: 0.86, y2: 0.86, half: 0.038 }

function inRoundRect(px, py, b) {
  const dx = Math.max(b.x + b.r - px, 0, px - (b.x + b.w - b.r))
  const dy = Math.max(b.y + b.r - py, 0, py - (b.y + b.h - b.r))
  return px >= b.x && px <= b.x + b.w && py >= b.y && py <= b.y + b.h && dx * dx + dy * dy <= b.r * b.r
}

function inRing(px, py) {
  const d = Math.hypot(px - ring.cx, py - ring.cy)
  return d <= ring.outer && d >= ring.inner
}

function inTail(px, py) {
  const vx = tail.x2 - tail.x1
  const vy = tail.y2 - tail.y1
  const t = Math.max(0, Math.min(1, ((px - tail.x1) * vx + (py - tail.y1) * vy) / (vx * vx + vy * vy)))
  return Math.hypot(px - (tail.x1 + t * vx), py - (tail.y1 + t * vy)) <= tail.half
}

/** The colour at a point, or null outside the tile; later shapes paint over earlier ones. */
function colourAt(px, py) {
  if (!inRoundRect(px, py, tile)) return null
  if (inRing(px, py) || inTail(px, py)) return TEAL
  // A navy gap around the ring keeps it readable where it crosses the sheet.
  const d = Math.hypot(px - ring.cx, py - ring.cy)
  if (d <= ring.outer + 0.025) return NAVY
  if (lines.some((l) => inRoundRect(px, py, l))) return LINE
  if (inRoundRect(px, py, sheet)) return SHEET
  return NAVY
}

export function rasterise(size) {
  // Large sizes have pixels small enough that 2×2 samples smooth the edges as well as 4×4 do small ones.
  const samples = size >= 256 ? 2 : 4
  const rgba = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const colour = colourAt((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)
          if (!colour) continue
          r += colour[0]
          g += colour[1]
          b += colour[2]
          a += 1
        }
      }
      const offset = (y * size + x) * 4
      if (a > 0) {
        rgba[offset] = Math.round(r / a)
        rgba[offset + 1] = Math.round(g / a)
        rgba[offset + 2] = Math.round(b / a)
      }
      rgba[offset + 3] = Math.round((a / (samples * samples)) * 255)
    }
  }
  return rgba
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

export function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0 // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** An .ico of PNG entries (Windows Vista and later read PNG-compressed entries). */
export function encodeIco(pngs) {
  const entries = [16, 24, 32, 48, 64, 128, 256]
  const header = Buffer.alloc(6)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(entries.length, 4)
  let offset = 6 + entries.length * 16
  const directory = []
  for (const size of entries) {
    const png = pngs.get(size)
    const entry = Buffer.alloc(16)
    entry[0] = size === 256 ? 0 : size
    entry[1] = size === 256 ? 0 : size
    entry.writeUInt16LE(1, 4) // colour planes
    entry.writeUInt16LE(32, 6) // bits per pixel
    entry.writeUInt32LE(png.length, 8)
    entry.writeUInt32LE(offset, 12)
    offset += png.length
    directory.push(entry)
  }
  return Buffer.concat([header, ...directory, ...entries.map((size) => pngs.get(size))])
}

/** An .icns of PNG entries: the types macOS reads for 16…1024 px (the @2x ones included). */
export function encodeIcns(pngs) {
  const types = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
    ['ic11', 32],
    ['ic12', 64],
    ['ic13', 256],
    ['ic14', 512],
  ]
  const parts = types.map(([type, size]) => {
    const png = pngs.get(size)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([head, body])
}

export function svg() {
  const rect = (b, fill) =>
    `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="${b.r}" fill="rgb(${fill.join(',')})"/>`
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" width="1024" height="1024">',
    '  <title>QUBS Reporter</title>',
    `  ${rect(tile, NAVY)}`,
    `  ${rect(sheet, SHEET)}`,
    ...lines.map((l) => `  ${rect(l, LINE)}`),
    `  <circle cx="${ring.cx}" cy="${ring.cy}" r="${ring.outer + 0.025}" fill="rgb(${NAVY.join(',')})"/>`,
    `  <circle cx="${ring.cx}" cy="${ring.cy}" r="${(ring.outer + ring.inner) / 2}" fill="none" stroke="rgb(${TEAL.join(',')})" stroke-width="${ring.outer - ring.inner}"/>`,
    `  <line x1="${tail.x1}" y1="${tail.y1}" x2="${tail.x2}" y2="${tail.y2}" stroke="rgb(${TEAL.join(',')})" stroke-width="${tail.half * 2}" stroke-linecap="round"/>`,
    '</svg>',
    '',
  ].join('\n')
}

export function iconFiles() {
  const pngs = new Map(SIZES.map((size) => [size, encodePng(size, rasterise(size))]))
  const files = new Map([['icon.svg', Buffer.from(svg(), 'utf8')]])
  for (const [size, png] of pngs) files.set(`${size}x${size}.png`, png)
  files.set('icon.png', pngs.get(512))
  files.set('icon.ico', encodeIco(pngs))
  files.set('icon.icns', encodeIcns(pngs))
  return files
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  mkdirSync(OUT, { recursive: true })
  let stale = 0
  for (const [name, bytes] of iconFiles()) {
    const path = join(OUT, name)
    if (check) {
      let current
      try {
        current = readFileSync(path)
      } catch {
        current = Buffer.alloc(0)
      }
      if (!current.equals(bytes)) {
        stale += 1
        process.stderr.write(`stale: resources/icons/${name}\n`)
      }
    } else {
      writeFileSync(path, bytes)
    }
  }
  if (check && stale > 0) process.exit(1)
  process.stdout.write(check ? 'icons are current\n' : `icons written to ${OUT}\n`)
}
