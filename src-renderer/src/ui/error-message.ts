/**
 * A message for the person from anything thrown. Errors from the bridge are PHI-free by contract
 * (codes, request ids); anything else gets a generic text rather than its raw content.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong; try again.'
}
