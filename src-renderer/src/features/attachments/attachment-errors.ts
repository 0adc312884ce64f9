import { AttachmentIntegrityError } from '../../bridge/transfers'
import { ipcFailureOf } from '../../ui/error-message'

/**
 * What the person reads when an attachment cannot be shown: plain words, no file names, no patient
 * data, no server text (which could echo either). Request ids are kept: support needs them.
 */
export function describeAttachmentError(error: unknown, action: 'list' | 'open'): string {
  const subject = action === 'list' ? 'The attachment list' : 'This file'
  if (error instanceof AttachmentIntegrityError) {
    return `${subject} arrived damaged. Try again.`
  }
  const failure = ipcFailureOf(error)
  if (failure) {
    const reference = failure.requestId ? ` (request ${failure.requestId})` : ''
    switch (failure.code) {
      case 'network':
      case 'unavailable':
        return `${subject} is not cached on this workstation and QUBS cannot be reached right now. ${
          action === 'list' ? 'It appears' : 'It opens'
        } once the connection is back.`
      case 'auth':
        return `QUBS refused the workstation's credentials, so ${subject.toLowerCase()} cannot be fetched${reference}.`
      case 'no-content':
        // Listed without a file behind it (yet): nothing here or in QUBS can be opened until it is uploaded.
        return action === 'list'
          ? `QUBS has no content for the attachment list yet${reference}.`
          : `QUBS has no content for this file yet: it opens once it has been uploaded to QUBS${reference}.`
      case 'not-found':
        return `${subject} is no longer available: the appointment may have left the pending list${reference}.`
      default:
        return `${subject} could not be fetched${reference}. Try again.`
    }
  }
  return `${subject} could not be shown. Try again.`
}
