import { useEffect, useRef, useState } from 'react'
import type { ConnectionSetup } from '../../../../src-preload/contract/setup-schemas'
import { errorMessage } from '../../ui/error-message'
import { ConnectionForm } from './ConnectionForm'
import { useSetupStore } from './setup-store'

/**
 * The first run: two plain choices, connect to QUBS with what onboarding handed out, or try the demo
 * (the built-in sandbox with fake patients, in its own data directory). Either way main re-opens the
 * workstation and `onChosen` restarts the page on it.
 */
export function WelcomeScreen({
  setup,
  onChosen,
}: Readonly<{ setup: ConnectionSetup | null; onChosen(setup: ConnectionSetup): void }>) {
  const [choice, setChoice] = useState<'connect' | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => headingRef.current?.focus(), [choice])

  const startDemo = async () => {
    setStarting(true)
    setProblem(null)
    try {
      onChosen(await useSetupStore.getState().useDemo())
    } catch (error) {
      setProblem(errorMessage(error))
      setStarting(false)
    }
  }

  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title" ref={headingRef} tabIndex={-1}>
        {choice === 'connect' ? 'Connect to QUBS' : 'Welcome to QUBS Reporter'}
      </h2>
      {choice === null && (
        <>
          <p>How do you want to start?</p>
          <div className="welcome-choices">
            <button type="button" className="welcome-choice primary" onClick={() => setChoice('connect')}>
              <strong>Connect to QUBS</strong>
              <span>Use the token URL, API address, client id and secret from your QUBS onboarding.</span>
            </button>
            <button
              type="button"
              className="welcome-choice"
              disabled={starting}
              onClick={() => void startDemo()}
            >
              <strong>{starting ? 'Starting the demo…' : 'Try the demo'}</strong>
              <span>Fake patients on a built-in sandbox. Nothing is sent to a real QUBS.</span>
            </button>
          </div>
        </>
      )}
      {choice === 'connect' && (
        <>
          <ConnectionForm setup={setup} onSaved={onChosen} />
          <button type="button" className="link-button" onClick={() => setChoice(null)}>
            Back to the choices
          </button>
        </>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  )
}
