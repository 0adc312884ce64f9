import { AppShell } from './features/shell/AppShell'
import { AttachmentsPanel } from './features/attachments'

/**
 * `#attachments/<domain>/<appointmentId>` shows the attachment panel on its own: a stand-in until the
 * appointment view mounts it, used by the attachment e2e test and for screenshots.
 */
function standaloneAttachments(hash: string): { domain: string; appointmentId: string } | null {
  const match = /^#attachments\/([^/]+)\/([^/]+)$/.exec(hash)
  if (!match) return null
  return { domain: decodeURIComponent(match[1]!), appointmentId: decodeURIComponent(match[2]!) }
}

export function App() {
  const attachments = standaloneAttachments(window.location.hash)
  if (attachments) {
    return (
      <main className="shell-main">
        <AttachmentsPanel domain={attachments.domain} appointmentId={attachments.appointmentId} />
      </main>
    )
  }
  return <AppShell />
}
