import type { parseCli as ParseSandboxCli } from '../../sandbox/main'
import { EXIT, usageError } from '../cli-error'
import { type Command, optionalString } from '../command'

/**
 * Runs the QUBS sandbox in the foreground until Ctrl-C. The flags are handed to the sandbox's own
 * parser (`npm run sandbox`), so both entry points accept and print exactly the same things.
 */
export const sandboxCommand: Command = {
  name: 'sandbox',
  synopsis: 'sandbox [--port N] [--appointments N] [--seed N] [--fault-rate R]',
  summary: 'run the QUBS sandbox server (fake patients only) until interrupted',
  details: 'The domains come from --domain (default demo); --client-id/--client-secret set its credentials.',
  options: {
    port: { type: 'string' },
    appointments: { type: 'string' },
    seed: { type: 'string' },
    'fault-rate': { type: 'string' },
  },
  async run(context) {
    const { options } = context.services
    const argv: string[] = []
    for (const flag of ['port', 'appointments', 'seed', 'fault-rate']) {
      const value = optionalString(context, flag)
      if (value !== undefined) argv.push(`--${flag}`, value)
    }
    if (options.domains.length > 0) argv.push('--domains', options.domains.join(','))
    if (options.clientId) argv.push('--client-id', options.clientId)
    if (options.clientSecret) argv.push('--client-secret', options.clientSecret)
    // Loaded only for this command: the sandbox's PDF fonts are unpacked when its modules load, which
    // every other command would otherwise pay for at start-up.
    const { parseCli, sandboxBanner, toSandboxOptions } = await import('../../sandbox/main')
    const { startSandbox } = await import('../../sandbox')
    let parsed: ReturnType<typeof ParseSandboxCli>
    try {
      parsed = parseCli(argv)
    } catch (error) {
      throw usageError(
        (error instanceof Error ? error.message : 'invalid sandbox options').replaceAll('\n', '; '),
      )
    }
    if (parsed.help) return EXIT.ok
    const sandbox = await startSandbox(toSandboxOptions(parsed.options))
    context.io.stdout(
      context.json
        ? `${JSON.stringify({
            baseUrl: sandbox.baseUrl,
            tokenUrl: sandbox.tokenUrl,
            apiBaseUrl: sandbox.apiBaseUrl,
            domains: sandbox.domains,
            clientId: sandbox.clientId,
            clientSecret: sandbox.clientSecret,
          })}\n`
        : sandboxBanner(sandbox, parsed.options),
    )
    await new Promise<void>((done) => {
      if (context.io.signal.aborted) done()
      else context.io.signal.addEventListener('abort', () => done(), { once: true })
    })
    await sandbox.close()
    return EXIT.ok
  },
}
