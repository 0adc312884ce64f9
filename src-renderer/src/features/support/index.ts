/** About / support: versions, "Copy support information", "Export diagnostics". */
export { SupportPanel } from './SupportPanel'
export { copyText } from './copy-text'
