/**
 * JSON text read from outside (a file, a response body), parsed without throwing: text that is not
 * JSON gives `undefined`, which the caller's zod schema then refuses with its own clear error. One
 * place for the try/catch every such reader needs.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
