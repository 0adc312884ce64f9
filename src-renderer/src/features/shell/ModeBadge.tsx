import type { AppInfo } from '../../../../src-preload/contract/schemas'

/** Which QUBS this works against (whether it is reachable is the status's job). */
export function ModeChip({ mode }: Readonly<{ mode: AppInfo['mode'] }>) {
  return (
    <span
      className={`mode mode-${mode}`}
      data-testid="app-mode"
      title={
        mode === 'demo'
          ? 'Demo sandbox: fake patients, nothing reaches a real QUBS'
          : 'Works against the configured QUBS'
      }
    >
      {mode === 'demo' ? 'DEMO' : 'QUBS'}
    </span>
  )
}

/**
 * A stripe under the header on every screen of the demo, so a screenshot or a glance can never take
 * the sandbox's fake patients for real ones. Same colours in both themes (they pass contrast in each).
 */
export function DemoBanner() {
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong>DEMO</strong> — built-in sandbox with fake patients. Nothing is sent to a real QUBS. Connect in
      Settings.
    </div>
  )
}
