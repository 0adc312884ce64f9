import { useEffect, useRef } from 'react'
import { useSettingsStore } from '../../stores/settings-store'
import { ConnectionForm, useSetupStore } from '../setup'
import {
  AccessibilitySection,
  AppearanceSection,
  ClinicianSection,
  ImageViewerSection,
  NotificationsSection,
  PrivacySection,
  SyncSection,
  WorklistSection,
} from './GeneralSections'
import { ShortcutsSection } from './ShortcutsSection'
import { SpellingSection } from './SpellingSection'
import { TemplatesSection } from './TemplatesSection'

const SECTIONS = [
  { id: 'settings-connection', title: 'Connection and domains' },
  { id: 'settings-clinician', title: 'Clinician profile' },
  { id: 'settings-sync', title: 'Sync and attachments' },
  { id: 'settings-privacy', title: 'Privacy' },
  { id: 'settings-worklist', title: 'Countdown thresholds' },
  { id: 'settings-notifications', title: 'Notifications' },
  { id: 'settings-shortcuts', title: 'Shortcuts and microphone' },
  { id: 'settings-templates', title: 'Templates and macros' },
  { id: 'settings-editor', title: 'Editor and spelling' },
  { id: 'settings-accessibility', title: 'Accessibility' },
  { id: 'settings-pacs', title: 'Image viewer' },
  { id: 'settings-appearance', title: 'Appearance' },
] as const

function ConnectionSection({ onReconnected }: Readonly<{ onReconnected(): void }>) {
  const setup = useSetupStore((s) => s.setup)
  const available = useSetupStore((s) => s.available)
  const loaded = useSetupStore((s) => s.loaded)
  const problem = useSetupStore((s) => s.error)
  return (
    <section
      className="settings-section"
      aria-labelledby="settings-connection-title"
      id="settings-connection"
    >
      <h3 id="settings-connection-title" tabIndex={-1}>
        Connection and domains
      </h3>
      {!loaded && <p aria-busy="true">Reading the connection…</p>}
      {problem && (
        <p role="alert" className="error">
          The connection could not be read: {problem}
        </p>
      )}
      {loaded && !available && <p className="muted">This app's connection is set outside the app.</p>}
      {loaded && available && (
        <>
          <p className="muted">
            {setup?.running === 'demo'
              ? 'Running the DEMO sandbox now. Enter your QUBS connection to switch to it.'
              : 'Changing the connection re-opens the workstation on it; queued submissions stay bound to the connection they were written for.'}
          </p>
          {/* Keyed by what main holds, so a saved or changed connection shows fresh. */}
          <ConnectionForm
            key={JSON.stringify(setup?.connection ?? null) + (setup?.mode ?? '')}
            setup={setup}
            onSaved={onReconnected}
          />
        </>
      )}
    </section>
  )
}

/**
 * Every setting, in sections (a list of them to jump to), each saved on its own through main and
 * applied at once where it can be. Keyboard-only: the section list and every control are in the
 * Tab order; a section link moves the focus to that section's heading.
 */
export function SettingsScreen({
  onReconnected,
  onWipe,
}: Readonly<{
  onReconnected(): void
  /** Opens the shell's "Wipe local data" dialog (the shell keeps it, so its keys stop while it is open). */
  onWipe(): void
}>) {
  const error = useSettingsStore((s) => s.error)
  const titleRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => titleRef.current?.focus(), [])
  const jump = (id: string) => {
    const heading = document.getElementById(`${id}-title`)
    heading?.scrollIntoView({ block: 'start' })
    heading?.focus()
  }
  return (
    <div className="settings-screen">
      <nav aria-label="Settings sections" className="settings-nav">
        <h2 id="settings-title" ref={titleRef} tabIndex={-1}>
          Settings
        </h2>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <a
                href={`#${s.id}`}
                onClick={(e) => {
                  e.preventDefault()
                  jump(s.id)
                }}
              >
                {s.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        {error && (
          <p role="alert" className="error">
            Settings could not be read from the app: {error}. Showing the defaults.
          </p>
        )}
        <ConnectionSection onReconnected={onReconnected} />
        <ClinicianSection />
        <SyncSection />
        <PrivacySection onWipe={onWipe} />
        <WorklistSection />
        <NotificationsSection />
        <ShortcutsSection />
        <TemplatesSection />
        <SpellingSection />
        <AccessibilitySection />
        <ImageViewerSection />
        <AppearanceSection />
      </div>
    </div>
  )
}
