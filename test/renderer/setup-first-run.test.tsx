import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { QubsIpcError, type ApiMethods, type ConnectionInput } from '../../src-preload/contract'
import { ReporterDatabase } from '../../src-renderer/src/db/database'
import { AppShell } from '../../src-renderer/src/features/shell/AppShell'
import { installFakeBridge } from './fake-bridge'
import { fakeSettings } from './fake-settings'
import { appointment, worklistMethods } from './fixtures'
import { useFreshStores } from './stores'

type Setup = Awaited<ReturnType<ApiMethods['getConnectionSetup']>>

const FIRST_RUN: Setup = {
  mode: 'unconfigured',
  running: 'demo',
  firstRun: true,
  connection: null,
  sources: {},
  envVariables: {},
}

function firstRun(setup: Setup = FIRST_RUN, extra: Partial<ApiMethods> = {}) {
  const methods = worklistMethods(() => [appointment()])
  const refreshWorklist = vi.fn(methods.refreshWorklist!)
  const reload = vi.fn()
  installFakeBridge({
    ...methods,
    ...fakeSettings().methods,
    refreshWorklist,
    getAppInfo: async () => ({
      name: 'QUBS Reporter',
      version: '0.1.0',
      mode: 'demo',
      runtime: { node: '24' },
    }),
    getConnectionSetup: async () => setup,
    ...extra,
  })
  render(<AppShell db={new ReporterDatabase(`test-${crypto.randomUUID()}`)} reload={reload} />)
  return { refreshWorklist, reload, user: userEvent.setup() }
}

const field = (name: RegExp | string) => screen.getByLabelText(name)

async function fillConnection(user: ReturnType<typeof userEvent.setup>, secret = 'sandbox-secret') {
  await user.type(field('Token URL'), 'https://auth.example/oauth2/token')
  await user.type(field('API base URL'), 'https://api.example')
  await user.type(field('Client id'), 'client-1')
  await user.type(field('Client secret'), secret)
  await user.type(field('Domains'), 'north, south')
}

// Typing through userEvent is slow on a loaded machine; the default 5 s is for quick tests.
describe('first run', { timeout: 20_000 }, () => {
  useFreshStores()

  it('offers two choices and fetches nothing until one is made; the demo reloads the page on the sandbox', async () => {
    const useDemo = vi.fn(async (): Promise<Setup> => ({ ...FIRST_RUN, mode: 'demo', firstRun: false }))
    const { refreshWorklist, reload, user } = firstRun(FIRST_RUN, { useDemo })
    await screen.findByRole('heading', { name: 'Welcome to QUBS Reporter' })
    expect(screen.getByRole('button', { name: /Connect to QUBS/ })).toBeTruthy()
    expect(screen.queryByRole('grid', { name: 'Worklist' })).toBeNull()
    expect(screen.queryByRole('navigation', { name: 'Screens' })).toBeNull()
    expect(refreshWorklist).not.toHaveBeenCalled()
    await user.click(screen.getByRole('button', { name: /Try the demo/ }))
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1))
    expect(useDemo).toHaveBeenCalledTimes(1)
    expect(refreshWorklist).not.toHaveBeenCalled()
  })

  it('checks the form before sending, tests each step, explains a failure with its ids, then saves', async () => {
    const tests: ConnectionInput[] = []
    const testConnection = vi.fn(async (input: ConnectionInput) => {
      tests.push(input)
      return input.clientSecret === 'wrong'
        ? {
            ok: false,
            steps: [{ name: 'token' as const, ok: false, ms: 12 }],
            error: {
              message: 'QUBS refused the client id or secret: check them with your QUBS contact.',
              requestId: 'req-123',
              correlationId: 'corr-456',
              status: 401,
            },
          }
        : {
            ok: true,
            steps: [
              { name: 'token' as const, ok: true, ms: 20 },
              { name: 'worklist' as const, domain: 'north', ok: true, ms: 30 },
            ],
            worklistCount: 7,
          }
    })
    const saveConnection = vi.fn(async (input: ConnectionInput): Promise<Setup> => ({
      ...FIRST_RUN,
      mode: 'configured',
      running: 'configured',
      firstRun: false,
      connection: { ...input, hasClientSecret: true },
    }))
    const { reload, user } = firstRun(FIRST_RUN, { testConnection, saveConnection })
    await user.click(await screen.findByRole('button', { name: /Connect to QUBS/ }))
    await user.type(field('Token URL'), 'not a url')
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    expect(testConnection).not.toHaveBeenCalled()
    expect(field('Token URL').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('name at least one domain')).toBeTruthy()
    expect(screen.getByText('the client secret is needed')).toBeTruthy()
    expect(field('Client secret').getAttribute('type')).toBe('password')

    await user.clear(field('Token URL'))
    await fillConnection(user, 'wrong')
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    const failed = await screen.findByTestId('connection-test')
    expect(within(failed).getByRole('alert').textContent).toMatch(/refused the client id or secret/)
    expect(failed.textContent).toMatch(/requestId req-123/)
    expect(failed.textContent).toMatch(/correlation id corr-456/)

    await user.clear(field('Client secret'))
    await user.type(field('Client secret'), 'sandbox-secret')
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    await waitFor(() =>
      expect(screen.getByTestId('connection-test').textContent).toMatch(/Connection works: 7/),
    )
    expect(screen.getByTestId('connection-test').textContent).toMatch(
      /Read the first worklist page \(north\): OK/,
    )
    expect(tests.at(-1)).toEqual({
      tokenUrl: 'https://auth.example/oauth2/token',
      apiBaseUrl: 'https://api.example',
      clientId: 'client-1',
      clientSecret: 'sandbox-secret',
      domains: ['north', 'south'],
    })
    await user.click(screen.getByRole('button', { name: 'Save and connect' }))
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1))
    expect(saveConnection).toHaveBeenCalledWith(tests.at(-1))
  })

  it('shows a field fixed by the environment read-only with its variable, and main’s refusal in words', async () => {
    const setup: Setup = {
      ...FIRST_RUN,
      connection: {
        tokenUrl: 'https://auth.example/oauth2/token',
        apiBaseUrl: '',
        clientId: '',
        domains: [],
        hasClientSecret: false,
      },
      sources: { tokenUrl: 'env' },
      envVariables: { tokenUrl: 'QUBS_TOKEN_URL' },
    }
    const saveConnection = vi.fn(async (): Promise<Setup> => {
      throw new QubsIpcError({ code: 'refused', message: 'clientId is set by the environment' })
    })
    const { user } = firstRun(setup, { saveConnection })
    await user.click(await screen.findByRole('button', { name: /Connect to QUBS/ }))
    const token = field('Token URL') as HTMLInputElement
    expect(token.readOnly).toBe(true)
    expect(token.value).toBe('https://auth.example/oauth2/token')
    expect(screen.getByText('set by QUBS_TOKEN_URL, cannot be changed here')).toBeTruthy()
    await user.type(field('API base URL'), 'https://api.example')
    await user.type(field('Client id'), 'client-1')
    await user.type(field('Client secret'), 'sandbox-secret')
    await user.type(field('Domains'), 'north')
    await user.click(screen.getByRole('button', { name: 'Save and connect' }))
    expect((await screen.findByText(/clientId is set by the environment/)).getAttribute('role')).toBe('alert')
  })

  it('after the choice the header marks the demo unmistakably and the worklist loads', async () => {
    const { refreshWorklist } = firstRun({ ...FIRST_RUN, mode: 'demo', firstRun: false })
    await screen.findByRole('grid', { name: 'Worklist' })
    expect(screen.getByTestId('app-mode').textContent).toBe('DEMO')
    expect(screen.getByTestId('demo-banner').textContent).toMatch(/DEMO.*fake patients/)
    await waitFor(() => expect(refreshWorklist).toHaveBeenCalled())
  })
})
