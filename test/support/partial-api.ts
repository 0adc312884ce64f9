import { ContractError, invokeNames, type ApiMethods } from '../../src-preload/contract'

/**
 * An `ApiMethods` for tests of the transports (IPC binding, harness, contract) that need only a few
 * capabilities: the ones given are used, every other one answers `unavailable` — loudly, so a test
 * that reaches one by mistake fails instead of passing on a made-up answer.
 */
export function partialApi(methods: Partial<ApiMethods>): ApiMethods {
  const unavailable = (name: string) => async () => {
    throw new ContractError('unavailable', `${name} is not part of this test`)
  }
  return Object.fromEntries(
    invokeNames.map((name) => [name, methods[name] ?? unavailable(name)]),
  ) as unknown as ApiMethods
}
