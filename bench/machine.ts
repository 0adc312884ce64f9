/** The machine a run measured: recorded with every results.json so figures are read against it. */
import { execFileSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import type { Machine } from './results-schema'

function gitCommit(root: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim()
    return dirty ? `${commit} (with uncommitted changes)` : commit
  } catch {
    return 'unknown (not a git checkout)'
  }
}

export function describeMachine(root: string, chromium: string, now: Date): Machine {
  const list = cpus()
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: Math.max(1, list.length),
    memoryMB: Math.round(totalmem() / 2 ** 20),
    node: process.versions.node,
    chromium,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString(),
    gitCommit: gitCommit(root),
  }
}
