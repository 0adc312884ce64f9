import { useId } from 'react'
import { ZOOM_STEPS } from '../../ui/zoom-steps'
import { NumberField, SettingsSection, TextField, ToggleField } from './SettingsFields'
import { useSectionForm } from './use-section'

/** The sections made only of plain fields: each its own draft, saved on its own. */

export function ClinicianSection() {
  const form = useSectionForm('clinician')
  return (
    <SettingsSection id="settings-clinician" title="Clinician profile" form={form}>
      <TextField form={form} field="name" label="Name" hint="As it appears on your reports" />
      <TextField form={form} field="providerNumber" label="Provider number" />
      <TextField form={form} field="email" label="Email" type="email" />
    </SettingsSection>
  )
}

export function SyncSection() {
  const sync = useSectionForm('sync')
  const attachments = useSectionForm('attachments')
  return (
    <>
      <SettingsSection id="settings-sync" title="Sync" form={sync}>
        <NumberField
          form={sync}
          field="worklistIntervalSeconds"
          label="Refresh the worklist every (seconds)"
          hint="15 to 3600"
        />
      </SettingsSection>
      <SettingsSection id="settings-attachments" title="Attachments" form={attachments}>
        <NumberField
          form={attachments}
          field="prefetchCount"
          label="Cache the attachments of the most urgent (appointments)"
          hint="0 to 200; cached files open offline"
        />
        <NumberField
          form={attachments}
          field="cacheCapMB"
          label="Attachment cache size (MB)"
          hint="50 to 50000"
        />
      </SettingsSection>
    </>
  )
}

/** Retention, idle lock, content protection and, apart from them, wiping this workstation's copy. */
export function PrivacySection({ onWipe }: Readonly<{ onWipe(): void }>) {
  const form = useSectionForm('privacy')
  return (
    <SettingsSection
      id="settings-privacy"
      title="Privacy"
      form={form}
      after={
        <div className="field wipe-local-data">
          <button type="button" onClick={onWipe} aria-describedby="wipe-local-data-hint">
            Wipe local data…
          </button>
          <p id="wipe-local-data-hint" className="muted">
            Removes the offline copy of patient data from this workstation now (asks first); the outbox too,
            once nothing in it is waiting.
          </p>
        </div>
      }
    >
      <NumberField
        form={form}
        field="retentionDays"
        label="Keep patient data on this workstation for (days)"
        hint="1 to 365; delivered work no longer pending is purged after this"
      />
      <NumberField
        form={form}
        field="idleLockMinutes"
        label="Lock the screen after idle (minutes)"
        hint="0 = never; up to 240"
      />
      <ToggleField
        form={form}
        field="contentProtection"
        label="Hide the window from screen sharing and screenshots"
      />
    </SettingsSection>
  )
}

export function WorklistSection() {
  const form = useSectionForm('worklist')
  return (
    <SettingsSection id="settings-worklist" title="Countdown thresholds" form={form}>
      <NumberField
        form={form}
        field="amberMinutes"
        label="Countdown turns amber (minutes before the deadline)"
      />
      <NumberField form={form} field="redMinutes" label="Countdown turns red (minutes before the deadline)" />
    </SettingsSection>
  )
}

export function NotificationsSection() {
  const form = useSectionForm('notifications')
  const privacy = useSectionForm('privacy')
  return (
    <SettingsSection id="settings-notifications" title="Notifications" form={form}>
      <ToggleField form={form} field="heldSubmissions" label="Tell me when a submission is held" />
      <ToggleField form={form} field="dueSoon" label="Tell me when a report is due soon" />
      <NumberField form={form} field="dueSoonMinutes" label="Due soon means within (minutes)" />
      <ToggleField
        form={privacy}
        field="notificationsShowPatient"
        label="Name the patient in notifications"
        hint="Off: notifications say only what is due, never who"
      />
    </SettingsSection>
  )
}

export function AccessibilitySection() {
  const form = useSectionForm('accessibility')
  return (
    <SettingsSection id="settings-accessibility" title="Accessibility" form={form} savable={false}>
      <ToggleField
        form={form}
        field="dictationSupport"
        label="Support dictation software (Dragon, Windows voice typing, macOS Dictation)"
        hint="Takes effect at the next start of the app"
      />
    </SettingsSection>
  )
}

export function ImageViewerSection() {
  const form = useSectionForm('pacs')
  return (
    <SettingsSection id="settings-pacs" title="Image viewer" form={form}>
      <TextField
        form={form}
        field="linkTemplate"
        type="url"
        label="Viewer link"
        hint="e.g. https://pacs.example/viewer?study={studyInstanceUid}; also {appointmentId}, {patientId}, {domain}. Empty = no viewer."
      />
    </SettingsSection>
  )
}

const ZOOMS = ZOOM_STEPS

export function AppearanceSection() {
  const form = useSectionForm('appearance')
  const themeId = useId()
  const zoomId = useId()
  const theme = form.sourceOf('theme')
  const zoom = form.sourceOf('zoom')
  return (
    <SettingsSection id="settings-appearance" title="Appearance" form={form} savable={false}>
      <div className="setting-field">
        <label htmlFor={themeId}>Theme</label>
        <div className="setting-control">
          <select
            id={themeId}
            value={form.draft.theme}
            disabled={theme.locked}
            aria-describedby={`${themeId}-source`}
            onChange={(e) => void form.setAndSave('theme', e.target.value === 'light' ? 'light' : 'dark')}
          >
            <option value="dark">Dark</option>
            <option value="light">Light</option>
          </select>
          <span id={`${themeId}-source`} className="setting-source">
            {theme.text}
          </span>
        </div>
      </div>
      <div className="setting-field">
        <label htmlFor={zoomId}>Zoom</label>
        <div className="setting-control">
          <select
            id={zoomId}
            value={String(form.draft.zoom)}
            disabled={zoom.locked}
            aria-describedby={`${zoomId}-source`}
            onChange={(e) => void form.setAndSave('zoom', Number(e.target.value))}
          >
            {(ZOOMS.includes(form.draft.zoom)
              ? ZOOMS
              : [...ZOOMS, form.draft.zoom].sort((a, b) => a - b)
            ).map((z) => (
              <option key={z} value={String(z)}>
                {Math.round(z * 100)}%
              </option>
            ))}
          </select>
          <span id={`${zoomId}-source`} className="setting-source">
            {zoom.text}
          </span>
        </div>
      </div>
    </SettingsSection>
  )
}
