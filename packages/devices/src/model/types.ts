/**
 * The device model in UnifiedPOS terms (design §5, research §1.1 and §6.3): a lifecycle
 * (closed → opened → claimed → enabled), a power state, and typed events. Types only: a real binding and an
 * in-memory binding implement the same shapes (design §9.7).
 */
import type { DeviceError } from '../errors.js';

export type Lifecycle = 'closed' | 'opened' | 'claimed' | 'enabled';

/** UPOS PowerState: JPOS_PS_UNKNOWN / ONLINE / OFFLINE / OFF. */
export type PowerState = 'unknown' | 'online' | 'offline' | 'off';

export type LifecycleAction = 'open' | 'claim' | 'enable' | 'disable' | 'release' | 'close';

/** UPOS ErrorLocus: where an error happened. */
export type ErrorLocus = 'output' | 'input' | 'input-data';

export interface DeviceErrorEvent {
  error: DeviceError;
  locus: ErrorLocus;
}

/** A UPOS StatusUpdateEvent, emitted only on change. Device classes add their own kinds. */
export type DeviceStatusEvent =
  | { kind: 'power'; power: PowerState; previous: PowerState; reason?: string; at: number }
  | { kind: 'lifecycle'; lifecycle: Lifecycle; previous: Lifecycle; at: number };

/**
 * Event map shared by every device class: `data` (input devices), `status`, `error` and `output-complete`.
 * A class narrows `data`/`status` payloads by extending this map.
 */
export interface DeviceEventMap<Data = never, Status = DeviceStatusEvent> {
  data: [data: Data];
  status: [status: Status | DeviceStatusEvent];
  error: [event: DeviceErrorEvent];
  'output-complete': [event: { jobId: string; at: number }];
}

/** The async UPOS lifecycle every device offers. Each step throws a DeviceError if illegal in the current state. */
export interface PosDevice {
  readonly lifecycle: Lifecycle;
  readonly power: PowerState;
  open(): Promise<void>;
  claim(): Promise<void>;
  enable(): Promise<void>;
  disable(): Promise<void>;
  release(): Promise<void>;
  close(): Promise<void>;
}
