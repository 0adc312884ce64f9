import { resolve } from 'node:path'
import { EXIT, usageError } from '../cli-error'
import { formatTable, printResult } from '../cli-io'
import { type Command, numberOption, requirePositional, requireString } from '../command'
import { describeWaiting } from '../submission-outcome'
import { describeEntry, entryJson, errorIds } from './outbox-view'

/** The workstation's outbox: deliver it, inspect it, retry or export held entries. */
export const syncCommand: Command = {
  name: 'sync',
  synopsis: 'sync [--wait] [--timeout SECONDS]',
  summary: 'deliver the outbox',
  details: [
    'Without --wait: one attempt for each entry due now (default timeout 60 s); failures wait for back-off.',
    '--wait: keep going, honouring back-off, until nothing deliverable is left; exit 3 if --timeout',
    '(default 600 s) passes first. Held entries need a person and do not count as deliverable;',
    'when any are left the command exits 1.',
  ].join('\n'),
  options: { wait: { type: 'boolean' }, timeout: { type: 'string' } },
  async run(context) {
    const wait = context.values['wait'] === true
    const timeoutSeconds = numberOption(context, 'timeout', wait ? 600 : 60, 1, 86_400)
    const engine = await context.services.sync()
    const drain = { timeoutMs: timeoutSeconds * 1000, signal: context.io.signal }
    const outcome = wait ? await engine.drainUntilIdle(drain) : await engine.drainOnce(drain)
    const entries = (await context.services.outbox()).list()
    const counts = { queued: 0, sending: 0, delivered: 0, held: 0 }
    for (const entry of entries) counts[entry.state] += 1
    printResult(
      context.io,
      context.json,
      { idle: outcome.idle, remaining: outcome.remaining, ...counts },
      () =>
        [
          `${counts.delivered} delivered, ${counts.queued + counts.sending} waiting, ${counts.held} held`,
          ...entries.filter((e) => e.state === 'held').map(describeEntry),
          ...[describeWaiting(outcome, engine.connectivity, entries, wait)].filter(
            (line) => line !== undefined,
          ),
        ].join('\n'),
    )
    if (wait && !outcome.idle) return EXIT.timeout
    // Held entries need a person (QUBS refused them definitively): a script must be able to tell.
    if (counts.held > 0) {
      context.io.stderr(
        `qubs-reporter: ${counts.held} held entr${counts.held === 1 ? 'y needs' : 'ies need'} a person (see "outbox")\n`,
      )
      return EXIT.failed
    }
    return EXIT.ok
  },
}

export const outboxCommand: Command = {
  name: 'outbox',
  synopsis: 'outbox | outbox retry ENTRY | outbox export ENTRY --out FILE | outbox discard ENTRY [--force]',
  summary: 'entries with state, attempts and last error (no PHI); retry, export or discard a held entry',
  details: [
    'outbox retry ENTRY    only a held entry (any reason but unreadable) can be retried. It is sent again',
    '    as a NEW submission: a new idempotency key, bound to the connection configured now, in its',
    "    original place in its appointment's order. The old key is never sent again (it stays in the",
    '    attempt history); if QUBS may have applied the old attempt, a comment may then appear twice.',
    'outbox export ENTRY --out FILE    write the entry, its text as stored and its metadata, to FILE',
    '    (mode 0600) for the person; works whenever the content decrypts',
    'outbox discard ENTRY [--force]    give up on a held entry (later reports of its appointment go on).',
    '    Only after a successful export, which also deletes the stored text at once; --force discards',
    '    without an export and keeps the encrypted copy until retention purges it (24 h).',
  ].join('\n'),
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  async run(context) {
    const outbox = await context.services.outbox()
    const action = context.positionals[0]
    if (action === undefined) {
      const entries = outbox.list()
      printResult(context.io, context.json, entries.map(entryJson), () =>
        entries.length === 0
          ? 'the outbox is empty'
          : formatTable(
              ['entry', 'kind', 'appointment', 'state', 'attempts', 'last error'],
              entries.map((e) => [
                e.id,
                e.kind === 'report' ? `${e.reportStatus} report` : e.kind,
                `${e.domain}/${e.appointmentId}`,
                e.state === 'held' ? `held: ${e.heldReason}` : e.state,
                e.attempts,
                errorIds(e).trim(),
              ]),
            ),
      )
      return EXIT.ok
    }
    const entryId = requirePositional(context, 1, 'ENTRY')
    if (action === 'retry') {
      const entry = await outbox.retryHeld(entryId)
      if (context.services.canConnect) {
        await (await context.services.sync()).drainOnce({ timeoutMs: 30_000, signal: context.io.signal })
      }
      const now = outbox.get(entry.id) ?? entry
      printResult(context.io, context.json, entryJson(now), () => describeEntry(now))
      return now.state === 'held' ? EXIT.failed : EXIT.ok
    }
    if (action === 'export') {
      const target = resolve(context.io.cwd, requireString(context, 'out'))
      const entry = await outbox.exportEntry(entryId, target)
      printResult(
        context.io,
        context.json,
        { ...entryJson(entry), path: target },
        () => `exported entry ${entry.id} to ${target}`,
      )
      return EXIT.ok
    }
    if (action === 'discard') {
      const entry = await outbox.discardHeld(entryId, { force: context.values['force'] === true })
      printResult(
        context.io,
        context.json,
        entryJson(entry),
        () =>
          `discarded entry ${entry.id}${entry.purged ? '' : '; its encrypted copy is kept until retention purges it'}`,
      )
      return EXIT.ok
    }
    throw usageError('unknown outbox action: use retry, export or discard')
  },
}
