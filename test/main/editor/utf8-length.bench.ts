/**
 * The editor's byte counter (the contract's utf8ByteLength) on a 2 MiB report, the largest QUBS takes,
 * on this machine class (2 cores). It runs on input, so it must stay far inside a 16 ms frame: target
 * mean under 8 ms, without allocating the encoding (the page counts at most once per animation frame).
 * A mean, not a tail: the machine is shared, and a tail measures the neighbours. The editor's other
 * pure logic is renderer code, which this (Node) project does not build.
 */
import { expect, test } from 'vitest'
import { utf8ByteLength } from '../../../src-preload/contract/utf8-length'

const paragraph =
  'The lungs are clear. No pleural effusion or pneumothorax. Cardiomediastinal contour within normal limits, ' +
  'size [size] mm, 38°C noted — no acute osseous abnormality.\n'
const report = paragraph.repeat(Math.floor(2_000_000 / (paragraph.length + 4)))

test('utf8ByteLength on a 2 MiB report', async ({ bench }) => {
  let bytes = 0
  const count = await bench('utf8ByteLength (2 MiB)', () => {
    bytes = utf8ByteLength(report)
  }).run({ iterations: 50, time: 0 })
  expect(bytes).toBe(new TextEncoder().encode(report).length)
  expect(count.latency.mean).toBeLessThan(8)
})
