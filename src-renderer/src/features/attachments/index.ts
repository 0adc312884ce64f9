/**
 * The attachment feature's public face: the panel the appointment view mounts and the prefetch the
 * shell starts with the most urgent appointments (most urgent first) after each worklist refresh.
 */
export { AttachmentsPanel, type AttachmentsPanelProps } from './AttachmentsPanel'
export {
  createAttachmentServices,
  provideAttachmentServices,
  shareAttachmentCache,
  type AttachmentServices,
} from './attachment-services'
export { prefetchAttachments, purgeAttachmentsNotIn } from './background'
export type { PrefetchProgress, PrefetchSummary } from './prefetch'
