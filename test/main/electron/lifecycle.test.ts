import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { watchWake, type Timers, type WakeReason } from '../../../src-main/electron/lifecycle'

function fakeTimers() {
  const ticks: (() => void)[] = []
  const timers: Timers = {
    setInterval: (callback) => ticks.push(callback),
    clearInterval: () => ticks.splice(0),
  }
  return { timers, tick: () => ticks.forEach((callback) => callback()), running: () => ticks.length }
}

describe('watchWake', () => {
  it('wakes on resume and unlock, and only when the network comes back (not when it goes)', () => {
    const power = new EventEmitter()
    const clock = fakeTimers()
    let online = true
    const woken: WakeReason[] = []
    const stop = watchWake({
      power,
      isOnline: () => online,
      onWake: (r) => woken.push(r),
      timers: clock.timers,
    })
    power.emit('resume')
    power.emit('unlock-screen')
    online = false
    clock.tick()
    clock.tick()
    online = true
    clock.tick()
    clock.tick()
    expect(woken).toEqual(['resume', 'resume', 'network'])
    stop()
    power.emit('resume')
    expect(woken).toHaveLength(3)
    expect(clock.running()).toBe(0)
    expect(power.listenerCount('resume')).toBe(0)
  })
})
