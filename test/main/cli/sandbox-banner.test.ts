import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src-main/sandbox'
import { parseCli, sandboxBanner } from '../../../src-main/sandbox/main'

/** The sandbox's start-up banner tells a new user what to expect of the worklist. */
describe('sandbox banner', () => {
  it('says how many of the seeded appointments are pending reporting, and why not all', async () => {
    const parsed = parseCli(['--appointments', '200', '--seed', '1', '--domains', 'acme,beta'])
    if (parsed.help) throw new Error('unexpected --help')
    const sandbox = await startSandbox({ appointments: 200, seed: 1, domains: ['acme', 'beta'] })
    try {
      const pending = (domain: string) => sandbox.admin.pendingAppointmentIds(domain, 1_000).length
      expect(pending('acme')).toBeLessThan(200)
      const banner = sandboxBanner(sandbox, parsed.options)
      expect(banner).toContain(
        `Appointments:  200 per domain (seed 1); pending reporting: acme ${pending('acme')}, beta ${pending('beta')}`,
      )
      expect(banner).toMatch(/the others have statuses the reporting API does not serve/)
    } finally {
      await sandbox.close()
    }
  })
})
