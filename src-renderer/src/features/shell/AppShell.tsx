import { useEffect } from 'react'
import { useAppInfoStore } from '../../stores/app-info-store'

/** The frame around every screen: product name, mode (demo or connected) and start-up errors. */
export function AppShell() {
  const { info, error, load } = useAppInfoStore()

  useEffect(() => {
    void load()
  }, [load])

  return (
    <div className="shell">
      <header className="shell-header">
        <h1>QUBS Reporter</h1>
        {info && (
          <span className={`mode mode-${info.mode}`} data-testid="app-mode">
            {info.mode === 'demo' ? 'Demo sandbox' : 'Connected to QUBS'}
          </span>
        )}
        {info && <span className="version">v{info.version}</span>}
      </header>
      <main className="shell-main">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {!info && !error && <p aria-busy="true">Starting…</p>}
      </main>
    </div>
  )
}
