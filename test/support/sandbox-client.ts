import {
  parseConnectionSettings,
  QubsClient,
  type ConnectionSettings,
  type QubsClientOptions,
} from '../../src-main/core/api'
import { MemoryVault } from '../../src-main/core/vault/vault'
import type { RunningSandbox } from '../../src-main/sandbox'

/**
 * A QubsClient connected to a running sandbox, with the sandbox's secret in a memory vault: the setup
 * every core-against-sandbox test shares. Extra client options (retry, timeouts, clock) pass through.
 */
export async function clientFor(
  sandbox: RunningSandbox,
  options: Partial<Omit<QubsClientOptions, 'settings'>> & { readonly domains?: readonly string[] } = {},
): Promise<{ client: QubsClient; vault: MemoryVault; settings: ConnectionSettings }> {
  const { domains, vault: given, ...rest } = options
  const vault = (given as MemoryVault | undefined) ?? new MemoryVault()
  await vault.setSecret('qubs.clientSecret', sandbox.clientSecret)
  const settings = parseConnectionSettings({
    tokenUrl: sandbox.tokenUrl,
    apiBaseUrl: sandbox.apiBaseUrl,
    clientId: sandbox.clientId,
    domains: domains ?? sandbox.domains,
  })
  const client = new QubsClient({ settings, vault, ...rest })
  // The settings too: an outbox bound to them sends its entries through this client.
  return { client, vault, settings }
}
