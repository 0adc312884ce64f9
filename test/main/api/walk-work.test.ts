import { afterEach, describe, expect, it, vi } from 'vitest'
import type * as errors from '../../../src-main/core/api/errors'
import { QubsError } from '../../../src-main/core/api/errors'
import { PendingPageSchema } from '../../../src-main/core/api/schemas'
import { startTestApi, type TestApi } from './support'

/**
 * The work of the worklist walk (issue 14, `walkRatio5k`), counted rather than timed: what the client
 * adds per page and per item on top of the requests and JSON.parse that any client pays.
 */

/** Counts every QubsError built, wherever it is built (the client's modules share this one). */
const built = vi.hoisted(() => ({ errors: 0 }))
vi.mock('../../../src-main/core/api/errors', async (importOriginal) => {
  const actual = await importOriginal<typeof errors>()
  class CountedQubsError extends actual.QubsError {
    constructor(init: ConstructorParameters<typeof actual.QubsError>[0]) {
      super(init)
      built.errors += 1
    }
  }
  return { ...actual, QubsError: CountedQubsError }
})

const PAGES = 6
const PER_PAGE = 25

/** The page bodies, serialised once: the server itself adds no JSON work to what is counted. */
function pageBodies(): string[] {
  return Array.from({ length: PAGES }, (_, page) =>
    JSON.stringify({
      items: Array.from({ length: PER_PAGE }, (_, i) => ({
        domain: 'acme',
        appointmentId: `A${page * PER_PAGE + i}`,
        patientName: 'Testpatient, Walk',
        modality: 'CT',
        extraField: { kept: true },
      })),
      nextToken: page + 1 < PAGES ? `p${page + 1}` : '',
    }),
  )
}

let api: TestApi | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await api?.close()
  api = undefined
})

/** The sockets the API pages arrived on. */
const pageSockets = new Set<unknown>()

async function walkingApi(): Promise<TestApi> {
  const bodies = pageBodies()
  pageSockets.clear()
  return startTestApi((request, response, socket) => {
    pageSockets.add(socket)
    const token = request.query.get('nextToken')
    const body = bodies[token ? Number(token.slice(1)) : 0] ?? '{}'
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    response.end(body)
  })
}

describe('the work of the pending walk (issue 14)', () => {
  it('costs no fixed work per walk: no token request, no new connection once warm', async () => {
    api = await walkingApi()
    const client = api.client()
    await client.walkPending({ domains: ['acme'] })
    const tokens = api.tokens.issued
    const sockets = pageSockets.size
    for (let walk = 0; walk < 3; walk += 1) await client.walkPending({ domains: ['acme'] })
    expect(api.tokens.issued).toBe(tokens)
    expect(pageSockets.size).toBe(sockets)
  })

  it('builds no error object for a page that succeeds', async () => {
    api = await walkingApi()
    const client = api.client()
    await client.walkPending({ domains: ['acme'] })
    built.errors = 0
    const items = await client.walkPending({ domains: ['acme'] })
    expect(items).toHaveLength(PAGES * PER_PAGE)
    expect(built.errors).toBe(0)
    // The counter sees the client's errors: a walk that fails still builds one.
    await expect(client.walkPending({ domains: ['nowhere'] })).rejects.toBeInstanceOf(QubsError)
    expect(built.errors).toBeGreaterThan(0)
  })

  it('hands out each item zod parsed, not a copy, when the item names its domain', async () => {
    api = await walkingApi()
    const client = api.client()
    const parsedItems: unknown[] = []
    const safeParse = PendingPageSchema.safeParse.bind(PendingPageSchema)
    vi.spyOn(PendingPageSchema, 'safeParse').mockImplementation((input, params) => {
      const result = safeParse(input, params)
      if (result.success) parsedItems.push(...result.data.items)
      return result
    })
    const items = await client.walkPending({ domains: ['acme'] })
    expect(items).toHaveLength(PAGES * PER_PAGE)
    expect(items.every((item, i) => item === parsedItems[i])).toBe(true)
    // Unknown fields are still kept (the appointment view shows them).
    expect(items[0]).toMatchObject({ domain: 'acme', extraField: { kept: true } })
  })

  it('de-duplicates without serialising a key for every item', async () => {
    api = await walkingApi()
    const client = api.client()
    await client.walkPending({ domains: ['acme'] })
    const stringify = vi.spyOn(JSON, 'stringify')
    const items = await client.walkPending({ domains: ['acme'] })
    expect(items).toHaveLength(PAGES * PER_PAGE)
    // At most one per page (a log record); never one per item.
    expect(stringify.mock.calls.length).toBeLessThanOrEqual(PAGES)
  })
})
