import { createContext, useContext } from 'react'
import type { CacheSession } from '../db/cache-session'

/** The open offline cache, provided by the shell once main handed over the cache key. */
export const CacheSessionContext = createContext<CacheSession | null>(null)

export function useCacheSession(): CacheSession {
  const session = useContext(CacheSessionContext)
  if (!session) throw new Error('the offline cache is not open yet')
  return session
}
