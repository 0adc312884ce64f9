import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeHarnessFrame,
  encodeHarnessFrame,
  HarnessFrameError,
  MAX_HARNESS_FRAME_BYTES,
} from '../../src-preload/contract/harness-frames'

/** The harness wire format: bytes stay bytes, everything else round-trips as JSON, nothing is trusted. */
const bytes = fc.uint8Array({ maxLength: 64 })
// Keys that reach a prototype are refused as paths (see harness-frames); messages never use them.
const key = fc.string().filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k))
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string(),
    bytes,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  ),
})).node

function frameWithHeader(header: unknown, blob = new Uint8Array()): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header))
  const frame = new Uint8Array(4 + text.byteLength + blob.byteLength)
  new DataView(frame.buffer).setUint32(0, text.byteLength)
  frame.set(text, 4)
  frame.set(blob, 4 + text.byteLength)
  return frame
}

describe('harness frames', () => {
  it('round-trips any message, with every Uint8Array back in its place as a Uint8Array', () => {
    fc.assert(
      fc.property(value, (message) => {
        expect(decodeHarnessFrame(encodeHarnessFrame(message))).toEqual(message)
      }),
    )
  })

  it('cannot be fooled by message values that look like placeholders', () => {
    const message = { m: null, b: [[['x'], 3]], nested: { $bytes: 0 } }
    expect(decodeHarnessFrame(encodeHarnessFrame(message))).toEqual(message)
  })

  it('refuses messages over the size limit on encode and on decode', () => {
    expect(() => encodeHarnessFrame({ bytes: new Uint8Array(MAX_HARNESS_FRAME_BYTES) })).toThrow(
      HarnessFrameError,
    )
    expect(() => decodeHarnessFrame(new Uint8Array(MAX_HARNESS_FRAME_BYTES + 1))).toThrow(HarnessFrameError)
  })

  it.each([
    ['a prototype path', { m: { a: null }, b: [[['__proto__'], 1]] }, 1],
    ['a path that does not exist', { m: { a: null }, b: [[['b'], 1]] }, 1],
    ['a path to a value that is not a placeholder', { m: { a: 'text' }, b: [[['a'], 1]] }, 1],
    ['a blob longer than the frame', { m: { a: null }, b: [[['a'], 5]] }, 1],
    ['trailing bytes', { m: { a: null }, b: [[['a'], 1]] }, 2],
    ['no blob list', { m: 1 }, 0],
  ])('refuses a frame with %s', (_name, header, blobLength) => {
    expect(() => decodeHarnessFrame(frameWithHeader(header, new Uint8Array(blobLength)))).toThrow(
      HarnessFrameError,
    )
  })

  it('refuses a frame whose header length runs past the frame', () => {
    const frame = new Uint8Array(8)
    new DataView(frame.buffer).setUint32(0, 100)
    expect(() => decodeHarnessFrame(frame)).toThrow(HarnessFrameError)
  })
})
