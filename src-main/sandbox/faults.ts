/**
 * Fault injection, decided per request before it is handled. Two sources, scripted first:
 *  - scripted: "the next N requests matching method/path-regex get fault K", in the order injected —
 *    what tests use, because it is exact;
 *  - random: each request draws from a PRNG seeded by `seed`, so the same sequence of requests gets
 *    the same faults on every run.
 * Admin requests never get faults (tests must always be able to reach admin).
 */
import { z } from 'zod'
import { type Random, seededRandom } from '../common/clock'
import { FAULT_KINDS, type FaultKind, type FaultSettings, type ScriptedFault } from './types'

export const DEFAULT_LATENCY_MS: readonly [number, number] = [20, 200]

const faultKindSchema = z.enum(FAULT_KINDS)

export const faultSettingsSchema = z
  .object({
    rate: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    kinds: z.array(faultKindSchema).min(1).optional(),
    latencyMs: z
      .tuple([z.number().int().min(0), z.number().int().min(0)])
      .refine(([min, max]) => min <= max, 'latencyMs must be [min, max] with min <= max')
      .optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  })
  .strict()

export const scriptedFaultSchema = z
  .object({
    kind: faultKindSchema,
    method: z.string().min(1).max(16).optional(),
    path: z
      .string()
      .min(1)
      .max(500)
      .refine((source) => {
        try {
          new RegExp(source)
          return true
        } catch {
          return false
        }
      }, 'path must be a valid regular expression')
      .optional(),
    count: z.number().int().min(1).optional(),
    latencyMs: z.number().int().min(0).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  })
  .strict()

export interface FaultDecision {
  readonly kind: FaultKind
  /** Extra delay for 'latency'. */
  readonly latencyMs: number
  /** For 429 and 503. */
  readonly retryAfterSeconds: number
}

interface ScriptedEntry {
  readonly fault: ScriptedFault
  readonly pattern: RegExp | null
  remaining: number
}

interface RandomSettings {
  readonly rate: number
  readonly seed: number
  readonly kinds: readonly FaultKind[]
  readonly latencyMs: readonly [number, number]
  readonly retryAfterSeconds: number
}

export class FaultController {
  #settings: RandomSettings
  #random: Random
  #scripted: ScriptedEntry[] = []

  constructor(settings: FaultSettings = {}) {
    this.#settings = normalise(faultSettingsSchema.parse(settings))
    this.#random = seededRandom(this.#settings.seed)
  }

  /** Replaces the random settings and restarts the PRNG from the seed. */
  setRandom(settings: FaultSettings): void {
    this.#settings = normalise(faultSettingsSchema.parse(settings))
    this.#random = seededRandom(this.#settings.seed)
  }

  injectNext(fault: ScriptedFault): void {
    const parsed = scriptedFaultSchema.parse(fault)
    this.#scripted.push({
      fault: parsed,
      pattern: parsed.path === undefined ? null : new RegExp(parsed.path),
      remaining: parsed.count ?? 1,
    })
  }

  /** Random rate back to 0 and the scripted queue emptied. */
  clear(): void {
    this.setRandom({})
    this.#scripted = []
  }

  describe(): { settings: RandomSettings; scripted: (ScriptedFault & { remaining: number })[] } {
    return {
      settings: this.#settings,
      scripted: this.#scripted.map((entry) => ({ ...entry.fault, remaining: entry.remaining })),
    }
  }

  decide(method: string, path: string): FaultDecision | null {
    const scripted = this.#scripted.find(
      (entry) =>
        (entry.fault.method === undefined || entry.fault.method.toUpperCase() === method) &&
        (entry.pattern === null || entry.pattern.test(path)),
    )
    if (scripted) {
      scripted.remaining--
      if (scripted.remaining <= 0) this.#scripted = this.#scripted.filter((entry) => entry !== scripted)
      return {
        kind: scripted.fault.kind,
        // Not drawn from the PRNG: scripted faults must not shift the random sequence.
        latencyMs: scripted.fault.latencyMs ?? this.#settings.latencyMs[1],
        retryAfterSeconds: scripted.fault.retryAfterSeconds ?? this.#settings.retryAfterSeconds,
      }
    }
    const settings = this.#settings
    if (settings.rate <= 0 || this.#random.next() >= settings.rate) return null
    const kind = settings.kinds[Math.floor(this.#random.next() * settings.kinds.length)] ?? 'latency'
    const latencyMs = kind === 'latency' ? this.#drawLatency() : 0
    return { kind, latencyMs, retryAfterSeconds: settings.retryAfterSeconds }
  }

  #drawLatency(): number {
    const [min, max] = this.#settings.latencyMs
    return min + Math.floor(this.#random.next() * (max - min + 1))
  }
}

function normalise(settings: z.infer<typeof faultSettingsSchema>): RandomSettings {
  return {
    rate: settings.rate ?? 0,
    seed: settings.seed ?? 1,
    kinds: settings.kinds ?? FAULT_KINDS,
    latencyMs: settings.latencyMs ?? DEFAULT_LATENCY_MS,
    retryAfterSeconds: settings.retryAfterSeconds ?? 1,
  }
}
