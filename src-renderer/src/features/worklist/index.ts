export { WorklistScreen, FILTER_INPUT_ID } from './WorklistScreen'
export { useWorklistStore, nextCase, nextCaseInView } from './worklist-store'
export { mostUrgentKeys } from './visible-rows'
