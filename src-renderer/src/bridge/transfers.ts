import type { AppointmentView, WorklistProgress, WorklistRefresh } from '../../../src-preload/contract'
import { getBridge } from './index'

/**
 * Large answers cross the bridge in chunks (no IPC message over a few MB): these helpers ask main for
 * the result, then read and reassemble its chunks. They are the only way features fetch the worklist
 * and attachment bytes.
 */
export interface FetchedWorklist {
  readonly refresh: WorklistRefresh
  readonly items: readonly AppointmentView[]
}

export async function fetchWorklist(
  onProgress?: (progress: WorklistProgress) => void,
): Promise<FetchedWorklist> {
  const api = getBridge()
  const unsubscribe = onProgress ? api.on('worklistProgress', onProgress) : () => undefined
  try {
    const refresh = await api.refreshWorklist()
    const items: AppointmentView[] = []
    for (let index = 0; index < refresh.chunkCount; index++) {
      const chunk = await api.getWorklistChunk(refresh.refreshId, index)
      if (chunk.refreshId !== refresh.refreshId || chunk.index !== index) {
        throw new Error('the worklist arrived out of order; try refreshing again')
      }
      items.push(...chunk.items)
    }
    if (items.length !== refresh.total)
      throw new Error('the worklist arrived incomplete; try refreshing again')
    return { refresh, items }
  } finally {
    unsubscribe()
  }
}

export interface FetchedAttachment {
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly sha256: string
}

export class AttachmentIntegrityError extends Error {
  constructor() {
    super('The attachment arrived damaged (its checksum does not match); try again.')
    this.name = 'AttachmentIntegrityError'
  }
}

export async function fetchAttachment(
  domain: string,
  appointmentId: string,
  guid: string,
): Promise<FetchedAttachment> {
  const api = getBridge()
  const download = await api.downloadAttachment(domain, appointmentId, guid)
  const bytes = new Uint8Array(download.byteLength)
  let offset = 0
  for (let index = 0; index < download.chunkCount; index++) {
    const chunk = await api.getAttachmentChunk(download.downloadId, index)
    if (chunk.index !== index || offset + chunk.bytes.byteLength > bytes.byteLength) {
      throw new AttachmentIntegrityError()
    }
    bytes.set(chunk.bytes, offset)
    offset += chunk.bytes.byteLength
  }
  if (offset !== bytes.byteLength || (await sha256Hex(bytes)) !== download.sha256) {
    throw new AttachmentIntegrityError()
  }
  return { bytes, contentType: download.contentType, sha256: download.sha256 }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}
