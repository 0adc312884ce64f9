import './zod-setup'
import { z } from 'zod'
import { AppInfoSchema, ConnectivitySchema } from './schemas'

/**
 * The whole IPC surface in one table. Each capability names its channel, the schema of its arguments
 * (a tuple, checked in the preload before sending and again in main on receipt) and the schema of its
 * result (checked in main before answering, so nothing outside the contract leaks to the page).
 */
export const CHANNEL_PREFIX = 'qubs:'

export const invokeContract = {
  getAppInfo: {
    channel: 'qubs:app:get-info',
    args: z.tuple([]),
    result: AppInfoSchema,
  },
  getConnectivity: {
    channel: 'qubs:sync:get-connectivity',
    args: z.tuple([]),
    result: ConnectivitySchema,
  },
} as const satisfies Record<string, InvokeSpec>

/** Events main pushes to the renderer. The renderer subscribes through `window.qubs.on`. */
export const eventContract = {
  connectivityChanged: {
    channel: 'qubs:event:connectivity',
    payload: ConnectivitySchema,
  },
} as const satisfies Record<string, EventSpec>

export interface InvokeSpec {
  readonly channel: `qubs:${string}`
  readonly args: z.ZodTuple
  readonly result: z.ZodType
}

export interface EventSpec {
  readonly channel: `qubs:event:${string}`
  readonly payload: z.ZodType
}

export type InvokeName = keyof typeof invokeContract
export type EventName = keyof typeof eventContract
