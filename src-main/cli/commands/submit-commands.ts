import { basename, extname, resolve } from 'node:path'
import {
  CommentInputSchema,
  ReportAttachmentContentTypeSchema,
  ReportAttachmentItemSchema,
  ReportSubmissionSchema,
  UploadBytesSchema,
  validateInput,
} from '../../core/api'
import { OutboxError, type EnqueueOptions, type Outbox, type OutboxEntrySummary } from '../../core/outbox'
import { EXIT, type ExitCode, usageError } from '../cli-error'
import { printResult } from '../cli-io'
import {
  type Command,
  type CommandContext,
  optionalString,
  requirePositional,
  requireString,
  resolveAppointment,
} from '../command'
import { missingConnectionOptions } from '../global-options'
import { readInputFile, readTextFile, textArgument } from '../input-files'
import { needsPersonMessage } from '../submission-outcome'
import { describeEntry, entryJson } from './outbox-view'

/**
 * Submissions: validate with the client's own rules, durably enqueue (resolved only after COMMIT),
 * then try one sync when the connection is configured. Exit 0 once delivered or safely queued (QUBS
 * not reachable); exit 1 when it is queued but needs a person (credentials refused, held), saying it
 * IS queued; exit 2 with nothing queued when the input is invalid.
 */
const SYNC_ATTEMPT_MS = 30_000

/** Shown in every submission command's help. */
export const KEY_HELP =
  '--key K: a stable ASCII token (printable, no spaces, at most 128 characters; a UUID is best) that names ' +
  'this submission, so a script can re-run it safely: the same key and the same input print the existing ' +
  'entry and its state (exit 0, nothing new is queued); the same key with other input exits 2 and queues nothing.'

export const reportCommand: Command = {
  name: 'report',
  synopsis:
    'report [DOMAIN/]ID --status preliminary|final --text-file FILE [--format MIME] [--clinician-name N] [--provider-number P] [--email E] [--reported-at ISO] [--key K]',
  summary: 'queue a report for an appointment and try to send it',
  details:
    'The report text is read from FILE (UTF-8, at most 2 097 152 bytes; a file that is not valid UTF-8 is refused,\n' +
    `a leading byte-order mark is dropped). A later report overwrites an earlier one.\n${KEY_HELP}`,
  options: {
    status: { type: 'string' },
    'text-file': { type: 'string' },
    format: { type: 'string' },
    'clinician-name': { type: 'string' },
    'provider-number': { type: 'string' },
    email: { type: 'string' },
    'reported-at': { type: 'string' },
    'no-sync': { type: 'boolean' },
    key: { type: 'string' },
  },
  async run(context) {
    const { domain, appointmentId } = resolveAppointment(context, requirePositional(context, 0, 'ID'))
    const reportText = await readTextFile(context.io.cwd, requireString(context, 'text-file'), '--text-file')
    const input = validateInput(ReportSubmissionSchema, {
      reportText,
      reportStatus: requireString(context, 'status'),
      ...defined({
        reportFormat: optionalString(context, 'format'),
        interpretingClinicianName: optionalString(context, 'clinician-name'),
        interpretingClinicianProviderNumber: optionalString(context, 'provider-number'),
        interpretingClinicianEmail: optionalString(context, 'email'),
        reportedAtUtc: optionalString(context, 'reported-at'),
      }),
    })
    return enqueueOnce(context, (outbox, options) =>
      outbox.enqueueReport(domain, appointmentId, input, options),
    )
  },
}

export const commentCommand: Command = {
  name: 'comment',
  synopsis: 'comment [DOMAIN/]ID (--text TEXT | --text-file FILE) [--type AC|AA|PC|PA] [--alert] [--key K]',
  summary: 'queue a comment or alert for an appointment and try to send it',
  details: [
    'Without --type, QUBS files it as AA when --alert is given, otherwise AC.',
    '--text-file keeps the text out of the process list and the shell history (prefer it for patient details).',
    KEY_HELP,
  ].join('\n'),
  options: {
    text: { type: 'string' },
    'text-file': { type: 'string' },
    type: { type: 'string' },
    alert: { type: 'boolean' },
    'no-sync': { type: 'boolean' },
    key: { type: 'string' },
  },
  async run(context) {
    const { domain, appointmentId } = resolveAppointment(context, requirePositional(context, 0, 'ID'))
    const inline = optionalString(context, 'text')
    const file = optionalString(context, 'text-file')
    if ((inline === undefined) === (file === undefined))
      throw usageError('give exactly one of --text and --text-file')
    const commentText =
      inline === undefined
        ? await readTextFile(context.io.cwd, file ?? '', '--text-file')
        : textArgument(inline, '--text')
    const input = validateInput(CommentInputSchema, {
      commentText,
      ...defined({ commentType: optionalString(context, 'type') }),
      ...(context.values['alert'] === true ? { isAlert: true } : {}),
    })
    return enqueueOnce(context, (outbox, options) =>
      outbox.enqueueComment(domain, appointmentId, input, options),
    )
  },
}

export const attachCommand: Command = {
  name: 'attach',
  synopsis: 'attach [DOMAIN/]ID --file FILE [--content-type application/pdf|application/dicom] [--key K]',
  summary: 'queue a report attachment (PDF or DICOM SR, at most 2 MB) and try to send it',
  details: `Without --content-type, .pdf files are sent as application/pdf and .dcm files as application/dicom.\n${KEY_HELP}`,
  options: {
    file: { type: 'string' },
    'content-type': { type: 'string' },
    'no-sync': { type: 'boolean' },
    key: { type: 'string' },
  },
  async run(context) {
    const { domain, appointmentId } = resolveAppointment(context, requirePositional(context, 0, 'ID'))
    const path = resolve(context.io.cwd, requireString(context, 'file'))
    const contentType = validateInput(
      ReportAttachmentContentTypeSchema,
      optionalString(context, 'content-type') ?? contentTypeFromName(path),
      'contentType',
    )
    const item = validateInput(ReportAttachmentItemSchema, { fileName: basename(path), contentType })
    const bytes = validateInput(
      UploadBytesSchema,
      await readInputFile(context.io.cwd, path, '--file'),
      'file',
    )
    return enqueueOnce(context, (outbox, options) =>
      outbox.enqueueReportAttachment(
        domain,
        appointmentId,
        { fileName: item.fileName, contentType, bytes },
        options,
      ),
    )
  },
}

/**
 * Enqueues with the caller's `--key` if given. The semantics live in the outbox's enqueue; here only
 * the wording: an entry that already existed is said so (exit 0), a key conflict or a domain that is
 * not configured is a usage error (exit 2, nothing queued).
 */
async function enqueueOnce(
  context: CommandContext,
  enqueue: (outbox: Outbox, options: EnqueueOptions) => Promise<OutboxEntrySummary>,
): Promise<ExitCode> {
  const key = optionalString(context, 'key')
  const outbox = await context.services.outbox()
  const existed = key !== undefined && outbox.findBySubmissionKey(key) !== null
  let entry: OutboxEntrySummary
  try {
    entry = await enqueue(outbox, key === undefined ? {} : { idempotencyKey: key })
  } catch (error) {
    if (error instanceof OutboxError && error.code === 'not-configured') {
      // Name what is missing, as every other command does (the secret is not needed to queue).
      const missing = missingConnectionOptions(context.services.options).filter(
        (flag) => flag !== '--client-secret',
      )
      throw usageError(
        missing.length > 0
          ? `missing connection settings: ${missing.join(', ')} (or ${missing.length === 1 ? 'its QUBS_* variable' : 'their QUBS_* variables'}); nothing was queued`
          : error.message,
      )
    }
    if (error instanceof OutboxError && error.code === 'key-conflict') throw usageError(error.message)
    throw error
  }
  if (!existed) return afterEnqueue(context, entry)
  printResult(
    context.io,
    context.json,
    { ...entryJson(entry), alreadyExisted: true },
    () => `already exists: ${describeEntry(entry)}`,
  )
  return EXIT.ok
}

/** Tries one sync of the new entry when the connection is configured, then says where it stands. */
async function afterEnqueue(context: CommandContext, queued: OutboxEntrySummary): Promise<ExitCode> {
  let entry = queued
  if (context.services.canConnect && context.values['no-sync'] !== true) {
    const engine = await context.services.sync()
    await engine.drainOnce({ timeoutMs: SYNC_ATTEMPT_MS, signal: context.io.signal })
    entry = (await context.services.outbox()).get(queued.id) ?? queued
  }
  printResult(context.io, context.json, entryJson(entry), () => describeEntry(entry))
  // Exit 0 only when nothing needs a person; otherwise say loudly that it IS queued, so that nobody
  // submits it a second time.
  const problem = needsPersonMessage(entry) ?? missingSecretMessage(context, entry)
  if (problem === undefined) return EXIT.ok
  context.io.stderr(`qubs-reporter: ${problem}\n`)
  return EXIT.failed
}

/**
 * Queued without the client secret (it is not needed to queue, only to send): nothing will send it
 * until someone supplies the secret, so that is said, with exit 1 — not exit 0 as if a later sync
 * would take care of it on its own.
 */
function missingSecretMessage(context: CommandContext, entry: OutboxEntrySummary): string | undefined {
  if (entry.state !== 'queued' || context.services.canConnect) return undefined
  return (
    `it IS queued (entry ${entry.id}), but it cannot be sent without the client secret: set QUBS_CLIENT_SECRET ` +
    '(or --client-secret) and run "sync"; do not submit it again'
  )
}

function contentTypeFromName(path: string): string {
  const extension = extname(path).toLowerCase()
  if (extension === '.pdf') return 'application/pdf'
  if (extension === '.dcm' || extension === '.dicom') return 'application/dicom'
  throw usageError('--content-type is required for files that are not .pdf or .dcm')
}

function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}
