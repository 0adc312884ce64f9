/**
 * `npm run sandbox -- --port 8787 --appointments 200 --seed 1 [--fault-rate 0.2] [--domains acme,beta]
 * [--client-id ID --client-secret SECRET]`: the sandbox as a standalone server. Prints the base URL,
 * token URL, domains and credentials (sandbox credentials, not secrets); logs JSON lines on stderr.
 * Ctrl-C or SIGTERM closes it cleanly.
 */
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { createLogger, stderrSink } from '../common/logger'
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startSandbox } from './index'
import { MAX_APPOINTMENTS, MIN_APPOINTMENTS } from './seed'
import { FAULT_KINDS, type RunningSandbox, type SandboxOptions } from './types'

export const USAGE = `QUBS sandbox: a local stand-in for the QUBS Integrations API v1.

Usage: npm run sandbox -- [options]

  --port N               port to listen on (default 8787; 0 picks a free one)
  --host HOST            interface to listen on (default 127.0.0.1)
  --appointments N       appointments per domain, ${MIN_APPOINTMENTS} to ${MAX_APPOINTMENTS} (default 200)
  --seed N               seed of the generated data (default 1)
  --domains a,b          domains served (default demo)
  --client-id ID         client id (default ${DEFAULT_CLIENT_ID})
  --client-secret S      client secret (default ${DEFAULT_CLIENT_SECRET})
  --fault-rate R         probability 0..1 that a request gets a random fault (default 0)
  --fault-seed N         seed of the fault sequence (default 1)
  --fault-kinds k1,k2    kinds to draw from (default all: ${FAULT_KINDS.join(', ')})
  --access-ttl S         access token lifetime in seconds (default 3600)
  --refresh-ttl S        refresh token lifetime in seconds (default 432000)
  --no-refresh-token     issue no refresh tokens
  --no-admin             do not mount /__admin routes
  --verbose              log every request
  --help                 show this help
`

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))

const cliSchema = z.object({
  port: integer(0, 65_535).default(8787),
  host: z.string().min(1).default('127.0.0.1'),
  appointments: integer(MIN_APPOINTMENTS, MAX_APPOINTMENTS).default(200),
  seed: integer(0, 2 ** 32 - 1).default(1),
  domains: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
    )
    .pipe(
      z.array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'domain names are letters, digits and dashes')).min(1),
    )
    .default(['demo']),
  'client-id': z.string().min(1).default(DEFAULT_CLIENT_ID),
  'client-secret': z.string().min(1).default(DEFAULT_CLIENT_SECRET),
  'fault-rate': z.string().transform(Number).pipe(z.number().min(0).max(1)).default(0),
  'fault-seed': integer(0, 2 ** 32 - 1).default(1),
  'fault-kinds': z
    .string()
    .transform((list) => list.split(',').map((k) => k.trim()))
    .pipe(z.array(z.enum(FAULT_KINDS)).min(1))
    .optional(),
  'access-ttl': integer(1, 31_536_000).default(3600),
  'refresh-ttl': integer(1, 31_536_000).default(432_000),
  'no-refresh-token': z.boolean().default(false),
  'no-admin': z.boolean().default(false),
  verbose: z.boolean().default(false),
})

export type CliOptions = z.infer<typeof cliSchema>

/** Parses argv into sandbox options; throws with a readable message on a bad flag or value. */
export function parseCli(argv: readonly string[]): { help: true } | { help: false; options: CliOptions } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string' },
      host: { type: 'string' },
      appointments: { type: 'string' },
      seed: { type: 'string' },
      domains: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'fault-rate': { type: 'string' },
      'fault-seed': { type: 'string' },
      'fault-kinds': { type: 'string' },
      'access-ttl': { type: 'string' },
      'refresh-ttl': { type: 'string' },
      'no-refresh-token': { type: 'boolean' },
      'no-admin': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  })
  if (values.help) return { help: true }
  const { help: _help, ...rest } = values
  const parsed = cliSchema.safeParse(rest)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`)
    throw new Error(problems.join('\n'))
  }
  return { help: false, options: parsed.data }
}

export function toSandboxOptions(cli: CliOptions): SandboxOptions {
  return {
    host: cli.host,
    port: cli.port,
    appointments: cli.appointments,
    seed: cli.seed,
    domains: cli.domains,
    clientId: cli['client-id'],
    clientSecret: cli['client-secret'],
    accessTokenTtlSeconds: cli['access-ttl'],
    refreshTokenTtlSeconds: cli['refresh-ttl'],
    issueRefreshToken: !cli['no-refresh-token'],
    admin: !cli['no-admin'],
    faults: {
      rate: cli['fault-rate'],
      seed: cli['fault-seed'],
      ...(cli['fault-kinds'] ? { kinds: cli['fault-kinds'] } : {}),
    },
    logger: createLogger('sandbox', { sink: stderrSink, level: cli.verbose ? 'debug' : 'info' }),
  }
}

/** What a person needs to connect to a running sandbox (its credentials are demo values, not secrets). */
export function sandboxBanner(sandbox: RunningSandbox, cli: CliOptions): string {
  return [
    'QUBS sandbox ready',
    `  Base URL:      ${sandbox.baseUrl}`,
    `  Token URL:     ${sandbox.tokenUrl}`,
    `  API:           ${sandbox.apiBaseUrl}/integrations/v1/{domain}/...`,
    `  Domains:       ${sandbox.domains.join(', ')}`,
    `  Client id:     ${sandbox.clientId}`,
    `  Client secret: ${sandbox.clientSecret}`,
    `  Appointments:  ${cli.appointments} per domain (seed ${cli.seed}); pending reporting: ${pendingCounts(sandbox)}`,
    '                 (the others have statuses the reporting API does not serve, as QUBS does)',
    `  Fault rate:    ${cli['fault-rate']}`,
    `  Admin:         ${cli['no-admin'] ? 'off' : `${sandbox.baseUrl}/__admin/`}`,
    '',
  ].join('\n')
}

/** Per domain, how many seeded appointments the pending list will show (the rest 404 like QUBS's). */
function pendingCounts(sandbox: RunningSandbox): string {
  return sandbox.domains
    .map((domain) => `${domain} ${sandbox.admin.pendingAppointmentIds(domain, MAX_APPOINTMENTS).length}`)
    .join(', ')
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>
  try {
    parsed = parseCli(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (parsed.help) {
    process.stdout.write(USAGE)
    return
  }
  const options = toSandboxOptions(parsed.options)
  const sandbox = await startSandbox(options)
  process.stdout.write(sandboxBanner(sandbox, parsed.options))
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`Received ${signal}, closing\n`)
    void sandbox.close().then(() => {
      process.exitCode = 0
    })
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

// Run only as the entry point, so tests can import parseCli.
if (process.argv[1]?.replaceAll('\\', '/').endsWith('sandbox/main.ts')) {
  void main()
}
