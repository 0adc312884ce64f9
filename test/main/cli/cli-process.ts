import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

/** Runs the real `qubs-reporter` bin as a child process, the way support staff and scripts do. */
export const BIN = resolve(import.meta.dirname, '../../../bin/qubs-reporter.cjs')

export interface CliRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd?: string,
): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: env['HOME'] ?? process.env['HOME'] ?? '', ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

export function runCliProcess(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd?: string,
): Promise<CliRun> {
  const child = startCli(args, env, cwd)
  return collect(child)
}

export function collect(child: ChildProcess): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((done, fail) => {
    child.once('error', fail)
    child.once('close', (code, signal) => done({ code, signal, stdout, stderr }))
  })
}
