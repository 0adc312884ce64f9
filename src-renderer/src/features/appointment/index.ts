export { AppointmentScreen } from './AppointmentScreen'
export { useAppointmentStore } from './appointment-store'
export { COMMENTS_PREFETCH_LIMIT, prefetchComments } from './comments-prefetch'
export { purgeAppointmentCacheNotIn } from './cache-purge'
