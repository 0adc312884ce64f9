/**
 * The browser harness's wire format (src-preload/harness.ts ⇄ src-main/harness/harness-server.ts):
 * every message is ONE binary WebSocket frame, so attachment bytes and the cache key cross as bytes —
 * never as base64 or JSON arrays of numbers. Electron's IPC structured-clones Uint8Array by itself; this
 * gives the harness the same property.
 *
 *   [u32 big-endian: header length][header: UTF-8 JSON][blob 0][blob 1]…
 *   header = { m: the message with every Uint8Array replaced by null,
 *              b: [[path to the value, byte length], …] in blob order }
 *
 * Paths (keys and indexes) say where each Uint8Array goes back, so no value of the message itself can
 * be mistaken for a placeholder. Both sides bound a frame to MAX_HARNESS_FRAME_BYTES, and decoding
 * checks every length and path before it trusts them. No imports: the page and Node both use it.
 */
export const MAX_HARNESS_FRAME_BYTES = 8 * 1024 * 1024
const HEADER_LENGTH_BYTES = 4
const MAX_DEPTH = 64
type PathKey = string | number

export class HarnessFrameError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HarnessFrameError'
  }
}

export function encodeHarnessFrame(message: unknown): Uint8Array<ArrayBuffer> {
  const blobs: Uint8Array[] = []
  const placements: [PathKey[], number][] = []
  const stripped = strip(message, [], blobs, placements, 0)
  const header = new TextEncoder().encode(JSON.stringify({ m: stripped, b: placements }))
  const total =
    HEADER_LENGTH_BYTES + header.byteLength + blobs.reduce((sum, blob) => sum + blob.byteLength, 0)
  if (total > MAX_HARNESS_FRAME_BYTES) {
    throw new HarnessFrameError(`message of ${total} bytes exceeds the ${MAX_HARNESS_FRAME_BYTES}-byte limit`)
  }
  const frame = new Uint8Array(total)
  new DataView(frame.buffer).setUint32(0, header.byteLength)
  frame.set(header, HEADER_LENGTH_BYTES)
  let offset = HEADER_LENGTH_BYTES + header.byteLength
  for (const blob of blobs) {
    frame.set(blob, offset)
    offset += blob.byteLength
  }
  return frame
}

export function decodeHarnessFrame(frame: Uint8Array): unknown {
  if (frame.byteLength > MAX_HARNESS_FRAME_BYTES) throw new HarnessFrameError('frame exceeds the size limit')
  if (frame.byteLength < HEADER_LENGTH_BYTES) throw new HarnessFrameError('frame too short')
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0)
  if (headerLength > frame.byteLength - HEADER_LENGTH_BYTES)
    throw new HarnessFrameError('header length out of range')
  let header: unknown
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        frame.subarray(HEADER_LENGTH_BYTES, HEADER_LENGTH_BYTES + headerLength),
      ),
    )
  } catch {
    throw new HarnessFrameError('header is not JSON')
  }
  if (!isRecord(header) || !('m' in header) || !Array.isArray(header['b'])) {
    throw new HarnessFrameError('header has no message or no blob list')
  }
  const root = { m: header['m'] as unknown }
  let offset = HEADER_LENGTH_BYTES + headerLength
  for (const placement of header['b'] as unknown[]) {
    if (!Array.isArray(placement) || placement.length !== 2) throw new HarnessFrameError('bad blob entry')
    const [path, length] = placement as [unknown, unknown]
    if (!isPath(path) || typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      throw new HarnessFrameError('bad blob entry')
    }
    if (offset + length > frame.byteLength) throw new HarnessFrameError('blob runs past the frame')
    // A copy: each value owns its bytes, independent of the frame's buffer.
    place(root, ['m', ...path], frame.slice(offset, offset + length))
    offset += length
  }
  if (offset !== frame.byteLength) throw new HarnessFrameError('frame has trailing bytes')
  return root.m
}

function strip(
  value: unknown,
  path: PathKey[],
  blobs: Uint8Array[],
  placements: [PathKey[], number][],
  depth: number,
): unknown {
  if (depth > MAX_DEPTH) throw new HarnessFrameError('message nested too deeply')
  if (value instanceof Uint8Array) {
    blobs.push(value)
    placements.push([[...path], value.byteLength])
    return null
  }
  if (Array.isArray(value))
    return value.map((item, i) => strip(item, [...path, i], blobs, placements, depth + 1))
  if (isRecord(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value))
      out[key] = strip(item, [...path, key], blobs, placements, depth + 1)
    return out
  }
  return value
}

/** Sets the value at `path`, which must lead through the message to a null placeholder. */
function place(root: Record<string, unknown>, path: readonly PathKey[], bytes: Uint8Array): void {
  let container: unknown = root
  for (let i = 0; i < path.length - 1; i++) container = child(container, path[i]!)
  const last = path[path.length - 1]!
  if (child(container, last) !== null)
    throw new HarnessFrameError('blob path does not point at a placeholder')
  ;(container as Record<PathKey, unknown>)[last] = bytes
}

function child(container: unknown, key: PathKey): unknown {
  if (Array.isArray(container) && typeof key === 'number' && key >= 0 && key < container.length) {
    return container[key]
  }
  if (isRecord(container) && typeof key === 'string' && Object.hasOwn(container, key)) return container[key]
  throw new HarnessFrameError('blob path does not exist in the message')
}

function isPath(value: unknown): value is PathKey[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_DEPTH &&
    value.every(
      (key) =>
        (typeof key === 'number' && Number.isSafeInteger(key) && key >= 0) ||
        // Keys that would reach a prototype are never data paths.
        (typeof key === 'string' && key !== '__proto__' && key !== 'constructor' && key !== 'prototype'),
    )
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  )
}
