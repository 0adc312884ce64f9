import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/**
 * Where Chromium's spell checker downloads a dictionary from when the file is not in the session's
 * folder (a person deleted it, the copy failed): a loopback server over the shipped folder, so the
 * request never leaves the machine and never reaches Chromium's CDN. Chromium asks for the file name
 * in lower case (electron#22482), so names are matched ignoring case. It serves only the files it
 * was given (no paths, nothing else in the folder), GET and HEAD only.
 */
export interface DictionaryServer {
  /** With the trailing slash Electron's setSpellCheckerDictionaryDownloadURL needs. */
  readonly baseUrl: string
  close(): Promise<void>
}

export async function startDictionaryServer(
  directory: string,
  files: readonly string[],
): Promise<DictionaryServer> {
  const byLowerName = new Map(files.map((file) => [file.toLowerCase(), file]))
  const server = createServer((request, response) => {
    const name = decodeName(request.url ?? '')
    const file = name === null ? undefined : byLowerName.get(name.toLowerCase())
    if ((request.method !== 'GET' && request.method !== 'HEAD') || file === undefined) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405).end()
      return
    }
    readFile(join(directory, file)).then(
      (bytes) => {
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.byteLength),
          'cache-control': 'no-store',
        })
        response.end(request.method === 'HEAD' ? undefined : bytes)
      },
      () => response.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Chromium (or a test's fetch) may keep a connection alive; closing must not wait for it.
        server.closeAllConnections()
      }),
  }
}

/** The single path segment asked for, or null for anything else (`/a/b`, `..`, a query). */
function decodeName(url: string): string | null {
  const match = /^\/([A-Za-z0-9._-]+)$/.exec(url)
  return match?.[1] ?? null
}
