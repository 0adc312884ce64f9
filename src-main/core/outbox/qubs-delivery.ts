import type { QubsClient } from '../api'
import type { DeliveryPort } from './delivery-port'

/**
 * The real delivery port: the QUBS client itself. It satisfies `DeliveryPort` structurally; this
 * function exists so that a change to the client's signatures that breaks the outbox fails to compile
 * here, in one obvious place, rather than somewhere in the composition root.
 */
export function qubsDeliveryPort(client: QubsClient): DeliveryPort {
  return client
}
