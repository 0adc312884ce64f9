import type { AppointmentView } from '../../../../src-preload/contract'
import { useSettingsStore } from '../../stores/settings-store'
import type { SurfaceState } from './editor-store'
import { findFields } from './fields'
import { starterSet } from './starter-set'
import { chooseDefaultTemplate, resolveTemplates } from './templates'

/**
 * What an appointment without a draft starts with: the default template for its modality and study
 * description (the person's templates, or the starter set), with its first `[field]` selected so the
 * first words dictated fill it; blank when no template applies.
 */
export function starterSurface(view: AppointmentView): SurfaceState {
  const templates = resolveTemplates(useSettingsStore.getState().settings.editor, starterSet)
  const template = chooseDefaultTemplate(templates, view)
  if (!template) return { text: '', selectionStart: 0, selectionEnd: 0, scrollTop: 0, templateId: null }
  const first = findFields(template.text)[0]
  return {
    text: template.text,
    selectionStart: first?.start ?? 0,
    selectionEnd: first?.end ?? 0,
    scrollTop: 0,
    templateId: template.id,
  }
}
