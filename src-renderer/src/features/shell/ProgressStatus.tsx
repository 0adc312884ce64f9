import { progressText, useProgressStore } from './progress-store'

/**
 * "Sending 2 of 5 · Caching attachments 3/20": always in the header with a fixed width, so work
 * starting or ending never moves the controls beside it; read out politely as it changes.
 */
export function ProgressStatus() {
  const text = useProgressStore(progressText)
  return (
    <span className="work-progress" data-testid="work-progress" aria-live="polite" title={text || undefined}>
      {text}
    </span>
  )
}
