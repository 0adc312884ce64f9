import { open, rename, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { finished } from 'node:stream/promises'
import type { PendingAppointment } from '../../core/api'
import { EXIT, usageError } from '../cli-error'
import { formatTable, printResult } from '../cli-io'
import {
  askAboutAppointment,
  type Command,
  type CommandContext,
  optionalString,
  requirePositional,
} from '../command'
import { describeFileError } from '../input-files'

/**
 * Read-only commands: they ask QUBS directly and print what it answered (stdout is the person's own
 * terminal or script; nothing here is logged).
 */
export const checkCommand: Command = {
  name: 'check',
  synopsis: 'check',
  summary: 'check the connection: token, then one cheap call per domain',
  options: {},
  async run({ io, services, json }) {
    const result = await services.client().checkConnection({ signal: io.signal })
    printResult(io, json, result, () =>
      formatTable(
        ['domain', 'ok', 'sites', 'problem'],
        result.domains.map((d) => [
          d.domain,
          d.ok ? 'yes' : 'no',
          d.siteCount,
          d.ok ? '' : `${d.kind ?? ''} ${d.status ?? ''}`.trim(),
        ]),
      ),
    )
    return result.ok ? EXIT.ok : EXIT.failed
  },
}

/**
 * Earliest report deadline first (none last), then date and start time. The fields are ISO 8601 /
 * HH:MM texts, which order by code unit exactly as by time; plain comparison, not localeCompare,
 * whose collation is much slower over thousands of rows and not what these fields need.
 */
export function sortByDeadlineThenStart(items: readonly PendingAppointment[]): PendingAppointment[] {
  // Keys built once per row, not once per comparison.
  const keyed = items.map((item) => ({
    item,
    deadline: item.reportNeededBy ?? '\uffff',
    start: `${item.appointmentDate ?? ''}T${item.startTime ?? ''}`,
  }))
  keyed.sort((a, b) => compareText(a.deadline, b.deadline) || compareText(a.start, b.start))
  return keyed.map(({ item }) => item)
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The largest page QUBS allows: the fewest round trips for a whole walk. */
export const WORKLIST_PAGE_SIZE = 500

export const worklistCommand: Command = {
  name: 'worklist',
  synopsis: 'worklist',
  summary: 'every pending appointment of every configured domain, all pages, de-duplicated',
  details: 'Sorted by report deadline (earliest first, none last), then date and start time.',
  options: {},
  async run({ io, services, json }) {
    const items = await services.client().walkPending({ pageSize: WORKLIST_PAGE_SIZE, signal: io.signal })
    const sorted = sortByDeadlineThenStart(items)
    printResult(io, json, sorted, () =>
      [
        formatTable(
          [
            'domain',
            'appointment',
            'deadline (UTC)',
            'priority',
            'modality',
            'site',
            'date',
            'start',
            'patient',
          ],
          sorted.map((a) => [
            a.domain,
            a.appointmentId,
            a.reportNeededBy,
            a.priority,
            a.modality,
            a.scheduledSite,
            a.appointmentDate,
            a.startTime,
            a.patientName,
          ]),
        ),
        `${sorted.length} pending`,
      ].join('\n'),
    )
    return EXIT.ok
  },
}

export const appointmentCommand: Command = {
  name: 'appointment',
  synopsis: 'appointment [DOMAIN/]ID',
  summary: 'one pending appointment, as QUBS returns it',
  options: {},
  async run(context) {
    const appointment = await askAboutAppointment(context, (client, { domain, appointmentId }, call) =>
      client.getAppointment(domain, appointmentId, call),
    )
    printResult(context.io, context.json, appointment, () =>
      Object.entries(appointment)
        .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
        .map(([key, value]) => `${key.padEnd(20)} ${String(value)}`)
        .join('\n'),
    )
    return EXIT.ok
  },
}

export const attachmentsCommand: Command = {
  name: 'attachments',
  synopsis: 'attachments [DOMAIN/]ID',
  summary: "an appointment's attachments (referrals, worksheets)",
  options: {},
  async run(context) {
    const attachments = await askAboutAppointment(context, (client, { domain, appointmentId }, call) =>
      client.listAttachments(domain, appointmentId, call),
    )
    printResult(context.io, context.json, attachments, () =>
      formatTable(
        ['guid', 'category', 'file', 'added (UTC)'],
        attachments.map((a) => [a.guid, a.category, a.fileName, a.addedDateTime]),
      ),
    )
    return EXIT.ok
  },
}

export const commentsCommand: Command = {
  name: 'comments',
  synopsis: 'comments [DOMAIN/]ID',
  summary: "an appointment's comments and alerts, with the patient's",
  options: {},
  async run(context) {
    const comments = await askAboutAppointment(context, (client, { domain, appointmentId }, call) =>
      client.listComments(domain, appointmentId, call),
    )
    printResult(context.io, context.json, comments, () =>
      formatTable(
        ['type', 'alert', 'when (UTC)', 'text'],
        comments.map((c) => [c.commentType, c.isAlert ? 'yes' : 'no', c.commentDateTime, c.commentText]),
      ),
    )
    return EXIT.ok
  },
}

export const downloadCommand: Command = {
  name: 'download',
  synopsis: 'download [DOMAIN/]ID GUID FILE   (or --out FILE)',
  summary: "an attachment's content into FILE (written whole, or not at all)",
  options: { out: { type: 'string' } },
  async run(context) {
    const guid = requirePositional(context, 1, 'GUID')
    const path = resolve(context.io.cwd, outputPath(context))
    // Streamed to a temporary name and renamed, so a failed download never leaves half a file. The
    // file is opened before QUBS is asked, so a wrong folder is a usage error, not a failed download.
    const partial = `${path}.part`
    const handle = await open(partial, 'w', 0o600).catch((error: unknown) => {
      throw usageError(`FILE: ${describeFileError(error, 'write')}`)
    })
    const stream = handle.createWriteStream()
    try {
      const meta = await askAboutAppointment(
        context,
        (client, { domain, appointmentId }, call) =>
          client.downloadAttachmentTo(domain, appointmentId, guid, stream, call),
        `attachment ${guid}`,
      )
      if (!stream.writableEnded) stream.end()
      await finished(stream)
      await rename(partial, path)
      printResult(
        context.io,
        context.json,
        { ...meta, path },
        () => `saved ${meta.size} bytes (${meta.contentType}) to ${path}`,
      )
      return EXIT.ok
    } catch (error) {
      stream.destroy()
      await rm(partial, { force: true })
      throw error
    }
  },
}

/** FILE as the third word or as --out, not both. */
function outputPath(context: CommandContext): string {
  const flag = optionalString(context, 'out')
  const positional = context.positionals[2]
  if (flag !== undefined && positional !== undefined) throw usageError('give FILE or --out FILE, not both')
  const path = flag ?? positional
  if (path === undefined || path === '') throw usageError('FILE is required (download ID GUID FILE)')
  return path
}
