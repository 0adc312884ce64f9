import { processIo } from './cli-io'
import { runCli } from './run-cli'

// Process entry of `qubs-reporter` / `npm run cli`: SIGINT and SIGTERM abort the running command,
// which then stops the sync engine cleanly (in-flight entries stay `sending` for the next run).
const controller = new AbortController()
process.once('SIGINT', () => controller.abort(new Error('interrupted')))
process.once('SIGTERM', () => controller.abort(new Error('terminated')))

runCli(process.argv.slice(2), processIo(controller.signal)).then(
  (code) => {
    process.exitCode = code
  },
  () => {
    process.exitCode = 1
  },
)
