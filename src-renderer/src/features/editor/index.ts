export { ReportEditor } from './ReportEditor'
export { REPORT_FIELD_ID, REPORT_FIELD_LABEL } from './ReportSurface'
export { starterSurface } from './starter-surface'
export { actionForKeyEvent } from './shortcut-match'
