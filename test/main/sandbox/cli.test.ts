import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { USAGE, parseCli } from '../../../src-main/sandbox/main'

const TSX = 'node_modules/.bin/tsx'

describe('sandbox CLI', () => {
  it('parses the documented flags', () => {
    const parsed = parseCli([
      '--port',
      '8787',
      '--appointments',
      '200',
      '--seed',
      '1',
      '--fault-rate',
      '0.2',
      '--domains',
      'acme,beta',
      '--client-id',
      'ID',
      '--client-secret',
      'SECRET',
    ])
    expect(parsed).toMatchObject({
      help: false,
      options: {
        port: 8787,
        appointments: 200,
        seed: 1,
        'fault-rate': 0.2,
        domains: ['acme', 'beta'],
        'client-id': 'ID',
        'client-secret': 'SECRET',
      },
    })
    expect(parseCli(['--help'])).toEqual({ help: true })
    expect(() => parseCli(['--appointments', '5'])).toThrow(/appointments/)
    expect(() => parseCli(['--fault-rate', '2'])).toThrow(/fault-rate/)
    expect(() => parseCli(['--bogus'])).toThrow()
  })

  it('prints usage for --help', async () => {
    const child = spawn(TSX, ['src-main/sandbox/main.ts', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(0)
    expect(out).toBe(USAGE)
  })

  it('starts standalone, prints its base URL, domains and credentials, serves tokens, and stops on SIGTERM', async () => {
    const child = spawn(
      TSX,
      [
        'src-main/sandbox/main.ts',
        '--port',
        '0',
        '--appointments',
        '20',
        '--domains',
        'acme,beta',
        '--client-id',
        'cli-id',
        '--client-secret',
        'cli-secret',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      let out = ''
      const baseUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8')
          const match = /Base URL:\s+(http:\/\/\S+)/.exec(out)
          if (match?.[1] && out.includes('Admin:')) resolve(match[1])
        })
        child.once('exit', () => reject(new Error('sandbox exited early')))
      })
      expect(out).toContain('Domains:       acme, beta')
      expect(out).toContain('Client id:     cli-id')
      expect(out).toContain('Client secret: cli-secret')
      const token = await fetch(`${baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=cli-id&client_secret=cli-secret',
      })
      expect(token.status).toBe(200)
      const { access_token: accessToken } = (await token.json()) as { access_token: string }
      const sites = await fetch(`${baseUrl}/integrations/v1/beta/sites`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      })
      expect(sites.status).toBe(200)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
