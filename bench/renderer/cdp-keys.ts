/**
 * Keystrokes as the OS would deliver them: CDP `Input.dispatchKeyEvent` (trusted events, through the
 * browser's input pipeline), not a DOM event made up in the page.
 */
import type { CDPSession } from 'playwright-core'

export type BenchKey = 'Backspace' | 'ArrowDown' | 'ArrowUp' | { readonly char: string }

const VIRTUAL_KEY: Readonly<Record<string, number>> = { Backspace: 8, ArrowUp: 38, ArrowDown: 40 }

export async function pressKey(cdp: CDPSession, key: BenchKey): Promise<void> {
  if (typeof key === 'string') {
    const code = VIRTUAL_KEY[key]!
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      key,
      code: key,
      windowsVirtualKeyCode: code,
    })
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: key, windowsVirtualKeyCode: code })
    return
  }
  const { char } = key
  const upper = char.toUpperCase()
  const code = /^[a-z]$/i.test(char) ? `Key${upper}` : ''
  const vk = upper.charCodeAt(0)
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'keyDown',
    key: char,
    code,
    text: char,
    unmodifiedText: char,
    windowsVirtualKeyCode: vk,
  })
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: char, code, windowsVirtualKeyCode: vk })
}
