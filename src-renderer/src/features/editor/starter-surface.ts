import type { AppointmentView } from '../../../../src-preload/contract'
import type { SurfaceState } from './editor-store'

/** What an appointment without a draft starts with. */
export function starterSurface(_view: AppointmentView): SurfaceState {
  return { text: '', selectionStart: 0, selectionEnd: 0, scrollTop: 0, templateId: null }
}
