/**
 * Every item an endpoint returns belongs to the domain in the request path. One that names another
 * domain means the server (or something between us) mixed up partners: filing it under the domain it
 * names would show one partner's patient in another's worklist, and filing it under ours would be a
 * guess. Either way it is refused as a protocol error, never re-homed or merged. Items that name no
 * domain are the queried domain's (the client fills it in).
 */

/** A check for the pipeline: a PHI-free reason when some item names another domain, else undefined. */
export type ResponseCheck<T> = (data: T) => string | undefined

export const FOREIGN_DOMAIN_REASON = 'Item from another domain'

/** Checks the items `itemsOf` picks out of an answer against the queried `domain`. */
export function boundToDomain<T>(domain: string, itemsOf: (data: T) => readonly unknown[]): ResponseCheck<T> {
  return (data) =>
    itemsOf(data).some((item) => namesOtherDomain(item, domain)) ? FOREIGN_DOMAIN_REASON : undefined
}

/** For answers that are one item. */
export function itemBoundToDomain<T>(domain: string): ResponseCheck<T> {
  return boundToDomain(domain, (item) => [item])
}

/** For answers that are an array of items. */
export function itemsBoundToDomain<T extends readonly unknown[]>(domain: string): ResponseCheck<T> {
  return boundToDomain(domain, (items) => items)
}

function namesOtherDomain(item: unknown, domain: string): boolean {
  if (item === null || typeof item !== 'object') return false
  const named = (item as { domain?: unknown }).domain
  return typeof named === 'string' && named !== '' && named !== domain
}

export const FOREIGN_APPOINTMENT_REASON = 'Item for another appointment'

/**
 * For the single appointment view: it must be the appointment asked for, in the queried domain. A view
 * of another appointment under the requested id would put another patient's details on screen beside
 * the report being written.
 */
export function appointmentBoundTo<T>(domain: string, appointmentId: string): ResponseCheck<T> {
  const inDomain = itemBoundToDomain<T>(domain)
  return (data) => {
    const foreign = inDomain(data)
    if (foreign !== undefined) return foreign
    const named = (data as { appointmentId?: unknown } | null)?.appointmentId
    return typeof named === 'string' && named !== appointmentId ? FOREIGN_APPOINTMENT_REASON : undefined
  }
}
