/**
 * The sandbox's answers checked against src-main/sandbox/openapi.yaml. Object schemas are made closed
 * (additionalProperties: false) for the check, so an undocumented field is caught as well as a
 * missing or mistyped one; every documented operation must be exercised.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { api, getToken, rawRequest, reporting, sandboxForFile } from './helpers'

type Json = Record<string, unknown>
const document = parse(
  readFileSync(new URL('../../../src-main/sandbox/openapi.yaml', import.meta.url), 'utf8'),
) as Json

function closeObjects(node: unknown, insideAllOf = false): void {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item, insideAllOf)
    return
  }
  if (node === null || typeof node !== 'object') return
  const schema = node as Json
  if (
    !insideAllOf &&
    schema.properties &&
    typeof schema.properties === 'object' &&
    !('additionalProperties' in schema)
  ) {
    schema.additionalProperties = false
  }
  for (const [key, value] of Object.entries(schema)) closeObjects(value, key === 'allOf')
}
closeObjects(document.components)
closeObjects(document.paths)

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema(document, 'openapi.json')

const pointer = (...segments: string[]) =>
  segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')

const operations = document.paths as Record<string, Record<string, Json>>
const exercised = new Set<string>()

function templateFor(path: string): string {
  const pathname = path.split('?')[0] as string
  for (const template of Object.keys(operations)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    if (pattern.test(pathname)) return template
  }
  throw new Error(`no documented path for ${pathname}`)
}

function check(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: unknown,
  headers: (name: string) => string | null,
): void {
  const template = templateFor(path)
  const operation = operations[template]?.[method.toLowerCase()] as Json | undefined
  expect(operation, `${method} ${template}`).toBeDefined()
  const responses = operation?.responses as Record<string, Json>
  const statusKey = String(status) in responses ? String(status) : `${String(status)[0]}XX`
  expect(responses[statusKey], `${method} ${template} ${status} is documented`).toBeDefined()
  let response = responses[statusKey] as Json
  if (typeof response.$ref === 'string') {
    response = (document.components as Record<string, Record<string, Json>>).responses?.[
      response.$ref.split('/').pop() as string
    ] as Json
  }
  const mediaType = (contentType ?? '').split(';')[0] as string
  const content = response.content as Record<string, unknown>
  expect(Object.keys(content), `${method} ${template} ${status} content type`).toContain(mediaType)
  const ref = `openapi.json#/${pointer('paths', template, method.toLowerCase(), 'responses', statusKey)}`
  const schemaRef =
    typeof (responses[statusKey] as Json).$ref === 'string'
      ? `openapi.json#/${pointer(
          'components',
          'responses',
          String((responses[statusKey] as Json).$ref)
            .split('/')
            .pop() as string,
          'content',
          mediaType,
          'schema',
        )}`
      : `${ref}/${pointer('content', mediaType, 'schema')}`
  const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef })
  const valid = validate(body)
  expect(valid, `${method} ${path} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true)
  expect(headers('x-correlation-id'), 'X-Correlation-Id').toBeTruthy()
  exercised.add(`${method.toUpperCase()} ${template}`)
}

const sandbox = await sandboxForFile({ appointments: 60 })
const token = await getToken(sandbox)
const ids = sandbox.admin.pendingAppointmentIds('demo', 10)

async function call(
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
  bearer: string | null = token,
) {
  const result = await api(sandbox, bearer, path, {
    method,
    ...(json === undefined ? {} : { json }),
    headers,
  })
  check(method, path, result.status, result.headers.get('content-type'), result.body, (name) =>
    result.headers.get(name),
  )
  return result
}

describe('responses match openapi.yaml', () => {
  it('token endpoint: success and problems', async () => {
    for (const [form, status] of [
      ['grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret', 200],
      ['grant_type=client_credentials&client_id=demo-client&client_secret=nope', 401],
      ['grant_type=password', 400],
    ] as const) {
      const response = await rawRequest(sandbox.tokenUrl, {
        method: 'POST',
        body: form,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })
      expect(response.status).toBe(status)
      check(
        'POST',
        '/oauth2/token',
        status,
        String(response.headers['content-type']),
        JSON.parse(response.body.toString('utf8')),
        (n) => (response.headers[n] as string | undefined) ?? null,
      )
    }
  })

  it('sites endpoints', async () => {
    const sites = await call('GET', '/integrations/v1/demo/sites')
    const site = encodeURIComponent((sites.body as { siteName: string }[])[0]?.siteName ?? '')
    await call('GET', `/integrations/v1/demo/sites/${site}`)
    await call('GET', `/integrations/v1/demo/sites/${site}/exam-codes`)
    await call('GET', '/integrations/v1/demo/sites/Nowhere')
    await call('GET', '/integrations/v1/demo/sites/Nowhere/exam-codes')
  })

  it('pending list, appointment view, attachments and comments', async () => {
    const page = await call('GET', reporting('demo', '/pending?pageSize=50'))
    const next = (page.body as { nextToken: string }).nextToken
    await call('GET', reporting('demo', `/pending?pageSize=500&nextToken=${next}`))
    await call('GET', reporting('demo', '/pending?pageSize=0'))
    for (const id of ids) {
      await call('GET', reporting('demo', `/${id}`))
      const attachments = await call(
        'GET',
        reporting('demo', `/${id}/attachments?urlTtlSeconds=120&disposition=attachment`),
      )
      const guid = (attachments.body as { guid: string }[])[0]?.guid
      await call('GET', reporting('demo', `/${id}/attachments/${guid}`))
      const comments = await call('GET', reporting('demo', `/${id}/comments`))
      const commentGuid = (comments.body as { guid: string }[])[0]?.guid
      if (commentGuid) await call('GET', reporting('demo', `/${id}/comments/${commentGuid}`))
    }
    await call('GET', reporting('demo', '/A0'))
    await call('GET', reporting('demo', `/${ids[0]}/attachments?urlTtlSeconds=x`))
  })

  it('the three POSTs: success, replay, validation, conflict, media type, not found', async () => {
    const id = ids[0] as string
    await call(
      'POST',
      reporting('demo', `/${id}/comments`),
      { commentText: 'Note.', isAlert: true },
      { 'Idempotency-Key': 'o1' },
    )
    await call(
      'POST',
      reporting('demo', `/${id}/comments`),
      { commentText: 'Note.', isAlert: true },
      { 'Idempotency-Key': 'o1' },
    )
    await call(
      'POST',
      reporting('demo', `/${id}/comments`),
      { commentText: 'Other.' },
      { 'Idempotency-Key': 'o1' },
    )
    await call('POST', reporting('demo', `/${id}/comments`), { commentText: ' ' })
    await call('POST', reporting('demo', `/${id}/report`), {
      reportText: 'Report.',
      reportStatus: 'Final',
      reportedAtUtc: '2025-01-10T03:04:05Z',
    })
    await call('POST', reporting('demo', `/${id}/report`), { reportText: 'Report.' })
    await call('POST', reporting('demo', `/${id}/report`), undefined, { 'Content-Type': 'text/plain' })
    await call('POST', reporting('demo', `/${id}/report/attachments`), {
      items: [{ fileName: 'r.pdf', contentType: 'application/pdf' }, { fileName: '' }],
    })
    await call('POST', reporting('demo', `/${id}/report/attachments`), { items: [] })
    await call('POST', reporting('demo', '/A0/report'), { reportText: 'R.', reportStatus: 'final' })
    // After a report, the view carries it.
    await call('GET', reporting('demo', `/${id}`))
  })

  it('401, 403 and injected 429/5xx problems', async () => {
    await call('GET', '/integrations/v1/demo/sites', undefined, {}, null)
    await call('GET', '/integrations/v1/other/sites')
    sandbox.admin.injectNext({ kind: '429-seconds' })
    await call('GET', reporting('demo', '/pending'))
    sandbox.admin.injectNext({ kind: '503' })
    await call('POST', reporting('demo', `/${ids[1]}/report`), { reportText: 'R.', reportStatus: 'final' })
  })

  it('the check itself rejects an undocumented field, a missing field and a wrong type', async () => {
    const view = (await api<Json>(sandbox, token, reporting('demo', `/${ids[2]}`))).body
    const validate = ajv.compile({ $ref: `openapi.json#/${pointer('components', 'schemas', 'Appointment')}` })
    expect(validate(view)).toBe(true)
    expect(validate({ ...view, surprise: 1 })).toBe(false)
    const { patientName: _patientName, ...withoutName } = view
    expect(validate(withoutName)).toBe(false)
    expect(validate({ ...view, appointmentDate: '12/01/2025' })).toBe(false)
  })

  afterAll(() => {
    const documented: string[] = []
    for (const [template, methods] of Object.entries(operations)) {
      for (const method of Object.keys(methods))
        if (method !== 'parameters') documented.push(`${method.toUpperCase()} ${template}`)
    }
    expect(documented.filter((operation) => !exercised.has(operation))).toEqual([])
  })
})
