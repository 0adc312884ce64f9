import { useEffect, useState } from 'react'

/** The current time, re-read every `intervalMs`, so countdowns move without a re-render storm. */
export function useNow(intervalMs: number, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock)
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs, clock])
  return now
}
