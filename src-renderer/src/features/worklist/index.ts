export { WorklistScreen, FILTER_INPUT_ID } from './WorklistScreen'
export { useWorklistStore, nextCase } from './worklist-store'
export { mostUrgentKeys } from './visible-rows'
