import { useId, useState } from 'react'
import { getBridge } from '../../bridge'
import { useSettingsStore } from '../../stores/settings-store'
import { errorMessage, ipcFailureOf } from '../../ui/error-message'

/**
 * Opens the study in the person's PACS viewer beside the report. Main builds the link from
 * `settings.pacs.linkTemplate` and opens it only to that template's origin; without a template the
 * button stays, disabled, and says where to set one.
 */
export function OpenImagesButton({
  domain,
  appointmentId,
}: Readonly<{ domain: string; appointmentId: string }>) {
  const configured = useSettingsStore((s) => s.settings.pacs.linkTemplate !== '')
  const [problem, setProblem] = useState<string | null>(null)
  const reasonId = useId()
  const open = async () => {
    setProblem(null)
    try {
      await getBridge().openImageViewer(domain, appointmentId)
    } catch (error) {
      setProblem(
        ipcFailureOf(error)?.code === 'not-found'
          ? 'The viewer link needs a value this appointment does not have (e.g. its study UID).'
          : errorMessage(error),
      )
    }
  }
  return (
    <>
      <button
        type="button"
        disabled={!configured}
        aria-describedby={configured ? undefined : reasonId}
        onClick={() => void open()}
      >
        Open images in viewer
      </button>
      {!configured && (
        <span id={reasonId} className="muted">
          No image viewer set (Settings → Image viewer)
        </span>
      )}
      {problem && (
        <span role="alert" className="error">
          {problem}
        </span>
      )}
    </>
  )
}
