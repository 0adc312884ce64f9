export { AppointmentScreen } from './AppointmentScreen'
export { useAppointmentStore } from './appointment-store'
