/**
 * The floor of the HTTP comparisons: the same requests the app makes, with undici and nothing else —
 * no validation, no retries, no correlation ids, no outbox.
 */
import { Agent, request } from 'undici'
import type { RunningSandbox } from '../../src-main/sandbox'

export interface BareConnection {
  readonly dispatcher: Agent
  readonly bearer: string
  readonly apiBaseUrl: string
}

/** A client-credentials grant, once; the app's client caches its token the same way. */
export async function bareConnect(
  sandbox: RunningSandbox,
  dispatcher = new Agent(),
): Promise<BareConnection> {
  const answer = await request(sandbox.tokenUrl, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    }).toString(),
  })
  const grant = (await answer.body.json()) as { access_token: string }
  return { dispatcher, bearer: `Bearer ${grant.access_token}`, apiBaseUrl: sandbox.apiBaseUrl }
}

/** Every page of a domain's pending list: GET until nextToken is empty or omitted. */
export async function bareWalk(bare: BareConnection, domain: string, pageSize: number): Promise<number> {
  let count = 0
  let nextToken = ''
  do {
    const url = new URL(`${bare.apiBaseUrl}/integrations/v1/${domain}/reporting/appointments/pending`)
    url.searchParams.set('pageSize', String(pageSize))
    if (nextToken) url.searchParams.set('nextToken', nextToken)
    const answer = await request(url, {
      dispatcher: bare.dispatcher,
      headers: { authorization: bare.bearer, accept: 'application/json' },
    })
    const page = (await answer.body.json()) as { items: unknown[]; nextToken?: string }
    count += page.items.length
    nextToken = page.nextToken ?? ''
  } while (nextToken)
  return count
}

/** One report POST with its Idempotency-Key; resolves with the status. */
export async function barePostReport(
  bare: BareConnection,
  target: Readonly<{ domain: string; appointmentId: string; body: string; idempotencyKey: string }>,
): Promise<number> {
  const answer = await request(
    `${bare.apiBaseUrl}/integrations/v1/${target.domain}/reporting/appointments/${target.appointmentId}/report`,
    {
      method: 'POST',
      dispatcher: bare.dispatcher,
      headers: {
        authorization: bare.bearer,
        accept: 'application/json',
        'content-type': 'application/json',
        'idempotency-key': target.idempotencyKey,
      },
      body: target.body,
    },
  )
  await answer.body.dump()
  return answer.statusCode
}

/** Runs `jobs` with at most `concurrency` in flight, as the sync engine bounds its lanes. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  job: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!
      next += 1
      await job(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}
