import { useEffect, useState, type FormEvent } from 'react'
import type { CommentView } from '../../../../src-preload/contract'
import { useCacheSession } from '../../ui/session-context'
import { stateText, useOutboxStore } from '../outbox'
import { useAppointmentStore } from './appointment-store'

const TYPE_LABEL = {
  AC: 'Appointment comment',
  AA: 'Appointment alert',
  PC: 'Patient comment',
  PA: 'Patient alert',
}

/** Comments and alerts (alerts first and prominent), and the form that queues a new one in the outbox. */
export function CommentsPanel({
  domain,
  appointmentId,
  comments,
}: Readonly<{ domain: string; appointmentId: string; comments: readonly CommentView[] | null }>) {
  const alerts = (comments ?? []).filter((c) => c.isAlert)
  const plain = (comments ?? []).filter((c) => !c.isAlert)
  return (
    <section className="comments" aria-labelledby="comments-title">
      <h3 id="comments-title">Comments and alerts</h3>
      {comments === null && <p className="muted">Not loaded yet.</p>}
      {alerts.length > 0 && (
        <ul className="alert-list" aria-label="Alerts">
          {alerts.map((c) => (
            <CommentItem key={c.guid} comment={c} />
          ))}
        </ul>
      )}
      {plain.length > 0 && (
        <ul className="comment-list" aria-label="Comments">
          {plain.map((c) => (
            <CommentItem key={c.guid} comment={c} />
          ))}
        </ul>
      )}
      {comments && comments.length === 0 && <p className="muted">No comments or alerts.</p>}
      <AddCommentForm domain={domain} appointmentId={appointmentId} />
    </section>
  )
}

function CommentItem({ comment }: Readonly<{ comment: CommentView }>) {
  const by = comment.commentBy
  const author = by ? [by.firstName, by.lastName].filter(Boolean).join(' ') || by.username : null
  return (
    <li className={comment.isAlert ? 'comment is-alert' : 'comment'}>
      <div className="comment-meta">
        {comment.isAlert && <strong>⚠ ALERT</strong>}{' '}
        {comment.commentType ? TYPE_LABEL[comment.commentType] : 'Comment'}
        {author ? ` · ${author}` : ''}
        {comment.commentDateTime ? ` · ${readableTime(comment.commentDateTime)}` : ''}
      </div>
      <p className="comment-text">{comment.commentText}</p>
    </li>
  )
}

function AddCommentForm({ domain, appointmentId }: Readonly<{ domain: string; appointmentId: string }>) {
  const [text, setText] = useState('')
  const [isAlert, setIsAlert] = useState(false)
  const [scope, setScope] = useState<'appointment' | 'patient'>('appointment')
  const { addComment, reloadComments, submitted, submitError } = useAppointmentStore()
  const outbox = useOutboxStore((s) => s.entries)
  const session = useCacheSession()
  // Each time one of the comments added here is delivered, QUBS has it: show it from there and let
  // the worklist's badge count it.
  const delivered = submitted
    .filter((id) => outbox.some((e) => e.id === id && e.state === 'delivered'))
    .join()
  useEffect(() => {
    if (delivered) void reloadComments(session, domain, appointmentId)
  }, [delivered, reloadComments, session, domain, appointmentId])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!text.trim()) return
    const commentType = scope === 'patient' ? (isAlert ? 'PA' : 'PC') : isAlert ? 'AA' : 'AC'
    if (await addComment(domain, appointmentId, { commentText: text, isAlert, commentType })) {
      setText('')
      setIsAlert(false)
    }
  }

  return (
    <form className="add-comment" onSubmit={(e) => void submit(e)} aria-label="Add comment or alert">
      <label htmlFor="new-comment">New comment</label>
      <textarea id="new-comment" value={text} onChange={(e) => setText(e.target.value)} rows={3} />
      <div className="form-row">
        <label>
          <input type="checkbox" checked={isAlert} onChange={(e) => setIsAlert(e.target.checked)} /> Alert
        </label>
        <label>
          About{' '}
          <select value={scope} onChange={(e) => setScope(e.target.value as 'appointment' | 'patient')}>
            <option value="appointment">this appointment</option>
            <option value="patient">the patient</option>
          </select>
        </label>
        <button type="submit" disabled={!text.trim()}>
          {isAlert ? 'Add alert' : 'Add comment'}
        </button>
      </div>
      {submitError && (
        <p role="alert" className="error">
          {submitError}
        </p>
      )}
      {submitted.length > 0 && (
        <ul className="submitted" aria-label="Submitted comments">
          {submitted.map((id) => {
            const entry = outbox.find((e) => e.id === id)
            return (
              <li key={id} data-state={entry?.state ?? 'queued'}>
                Comment {entry ? stateText(entry) : 'queued'}
                {entry?.heldReason ? ` — held: ${entry.heldReason}` : ''}
              </li>
            )
          })}
        </ul>
      )}
    </form>
  )
}

/** QUBS sends ISO 8601; shown in the workstation's locale and zone, or as sent when unreadable. */
function readableTime(iso: string): string {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : new Date(ms).toLocaleString()
}
