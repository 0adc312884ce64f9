import {
  MAX_ATTACHMENT_FILE_NAME_CHARS,
  MAX_REPORT_ATTACHMENT_BYTES,
  MAX_REPORT_ATTACHMENTS,
  type ReportAttachmentType,
} from '../../../../src-preload/contract'
import type { ReportFile } from './editor-store'

/** A file the person added to the report, checked; `problem` says why it cannot be sent. */
export type CheckedFile =
  | { readonly ok: true; readonly file: ReportFile }
  | { readonly ok: false; readonly fileName: string; readonly problem: string }

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d] // %PDF-
const DICOM_MAGIC = [0x44, 0x49, 0x43, 0x4d] // DICM, after the 128-byte preamble
const DICOM_MAGIC_OFFSET = 128

/** The type by content, never by the name or the browser's guess: QUBS gets what the bytes are. */
export function reportFileType(bytes: Uint8Array): ReportAttachmentType | null {
  const at = (magic: readonly number[], offset: number) => magic.every((b, i) => bytes[offset + i] === b)
  if (at(PDF_MAGIC, 0)) return 'application/pdf'
  if (at(DICOM_MAGIC, DICOM_MAGIC_OFFSET)) return 'application/dicom'
  return null
}

/**
 * Checks files added by the picker or a drop, each on its own (one bad file does not refuse the
 * others): PDF or DICOM SR by content, at most 2 MB, a name of at most 255 characters, and no more
 * than 20 with the ones already added. Messages name the file and the rule, never the content.
 */
export async function checkReportFiles(files: readonly File[], alreadyAdded: number): Promise<CheckedFile[]> {
  const checked: CheckedFile[] = []
  let accepted = alreadyAdded
  for (const file of files) {
    const refuse = (problem: string) => checked.push({ ok: false, fileName: file.name, problem })
    if (accepted >= MAX_REPORT_ATTACHMENTS) {
      refuse(`a report takes at most ${MAX_REPORT_ATTACHMENTS} files`)
      continue
    }
    if (file.name.trim().length === 0 || file.name.length > MAX_ATTACHMENT_FILE_NAME_CHARS) {
      refuse(`the file name must be 1 to ${MAX_ATTACHMENT_FILE_NAME_CHARS} characters`)
      continue
    }
    if (file.size === 0) {
      refuse('the file is empty')
      continue
    }
    if (file.size > MAX_REPORT_ATTACHMENT_BYTES) {
      refuse(`the file is larger than ${MAX_REPORT_ATTACHMENT_BYTES.toLocaleString('en')} bytes`)
      continue
    }
    const bytes = new Uint8Array(await file.arrayBuffer())
    const contentType = reportFileType(bytes)
    if (!contentType) {
      refuse('only PDF and DICOM SR files can be attached to a report (judged by their content)')
      continue
    }
    accepted += 1
    checked.push({ ok: true, file: { fileName: file.name, contentType, bytes } })
  }
  return checked
}
