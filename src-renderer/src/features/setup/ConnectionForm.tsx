import { useId, useState } from 'react'
import type {
  ConnectionField,
  ConnectionSetup,
  ConnectionTest,
} from '../../../../src-preload/contract/setup-schemas'
import { errorMessage } from '../../ui/error-message'
import { checkConnection, CONNECTION_FIELDS, draftFrom, type ConnectionDraft } from './connection-draft'
import { useSetupStore } from './setup-store'

const STEP_LABEL = { token: 'Get a token', worklist: 'Read the first worklist page' } as const

/** What "Test connection" found: each step with its time, and a failure in plain words with its ids. */
export function ConnectionTestResult({ result }: Readonly<{ result: ConnectionTest }>) {
  return (
    <div className={`connection-test ${result.ok ? 'ok' : 'failed'}`} data-testid="connection-test">
      <ol>
        {result.steps.map((step, i) => (
          <li key={`${step.name}-${step.domain ?? ''}-${i}`}>
            <span aria-hidden="true">{step.ok ? '✓' : '✗'}</span> {STEP_LABEL[step.name]}
            {step.domain ? ` (${step.domain})` : ''}: {step.ok ? 'OK' : 'failed'}{' '}
            <span className="muted">{step.ms} ms</span>
          </li>
        ))}
      </ol>
      {result.ok ? (
        <p>
          Connection works
          {result.worklistCount !== undefined
            ? `: ${result.worklistCount} appointment${result.worklistCount === 1 ? '' : 's'} on the first page.`
            : '.'}
        </p>
      ) : (
        <div role="alert">
          <p>{result.error?.message ?? 'The connection failed.'}</p>
          {(result.error?.requestId || result.error?.correlationId) && (
            <p className="mono">
              {result.error.requestId && <>requestId {result.error.requestId} </>}
              {result.error.correlationId && <>correlation id {result.error.correlationId}</>}
            </p>
          )}
        </div>
      )}
    </div>
  )
}

/**
 * The connection QUBS hands out at onboarding, for the first run and the settings screen alike.
 * Checked with the contract's schema before it is sent; fields fixed by the environment are shown
 * read-only with their variable; the secret is a password field that main never sends back.
 */
export function ConnectionForm({
  setup,
  onSaved,
}: Readonly<{ setup: ConnectionSetup | null; onSaved(setup: ConnectionSetup): void }>) {
  const formId = useId()
  const [draft, setDraft] = useState<ConnectionDraft>(() => draftFrom(setup))
  const [shownErrors, setShownErrors] = useState<Partial<Record<ConnectionField, string>>>({})
  const [busy, setBusy] = useState<'test' | 'save' | null>(null)
  const [result, setResult] = useState<ConnectionTest | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const hasStoredSecret = setup?.connection?.hasClientSecret === true && setup.mode !== 'demo'

  const run = async (what: 'test' | 'save') => {
    const checked = checkConnection(draft, setup)
    if (!checked.ok) {
      setShownErrors(checked.errors)
      return
    }
    setShownErrors({})
    setProblem(null)
    setBusy(what)
    try {
      if (what === 'test') {
        setResult(null)
        setResult(await useSetupStore.getState().test(checked.input))
      } else {
        onSaved(await useSetupStore.getState().save(checked.input))
      }
    } catch (error) {
      setProblem(errorMessage(error))
    } finally {
      setBusy(null)
    }
  }

  return (
    <form
      className="connection-form"
      aria-label="Connection to QUBS"
      onSubmit={(e) => {
        e.preventDefault()
        void run('save')
      }}
    >
      {CONNECTION_FIELDS.map(({ field, label, hint }) => {
        const id = `${formId}-${field}`
        const variable = setup?.sources[field] === 'env' ? setup.envVariables[field] : undefined
        const error = shownErrors[field]
        const secretHint =
          field === 'clientSecret' && hasStoredSecret ? 'a secret is stored; leave empty to keep it' : hint
        return (
          <div className="setting-field" key={field}>
            <label htmlFor={id}>{label}</label>
            <span id={`${id}-hint`} className="setting-hint">
              {variable ? `set by ${variable}, cannot be changed here` : secretHint}
            </span>
            <div className="setting-control">
              <input
                id={id}
                name={field}
                type={field === 'clientSecret' ? 'password' : field.endsWith('Url') ? 'url' : 'text'}
                autoComplete={field === 'clientSecret' ? 'new-password' : 'off'}
                spellCheck={false}
                readOnly={variable !== undefined}
                value={draft[field]}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
                onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
              />
              {error && (
                <span id={`${id}-error`} className="field-error" role="alert">
                  {error}
                </span>
              )}
            </div>
          </div>
        )
      })}
      <div className="form-row">
        <button type="button" disabled={busy !== null} onClick={() => void run('test')}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="primary" disabled={busy !== null}>
          {busy === 'save' ? 'Connecting…' : 'Save and connect'}
        </button>
      </div>
      <div aria-live="polite">{result && <ConnectionTestResult result={result} />}</div>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </form>
  )
}
