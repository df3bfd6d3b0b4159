import { type BodyPace, DEFAULT_BODY_PACE } from './body-pace.js';
import { DEFAULT_MAX_INGEST_ACTIVE, IngestGate, type IngestGateOptions } from './ingest-gate.js';
import { KeyedPlaces } from './keyed-places.js';

export interface IngestAdmissionOptions extends Omit<IngestGateOptions, 'onRefused' | 'maxActive'> {
  /** See IngestGateOptions.maxActive (default 16). */
  maxActive?: number;
  /**
   * Most places (working or waiting) one client address may hold, taken before the body is read (default 8, half the
   * active bound, so one address can never hold them all). A store's tills usually share one address: raise it for a
   * store with more tills than this catching up at once; the others are answered 429 and come back.
   */
  perAddress?: number;
  /** Most batches one terminal may have in the server at once, counted once its signature verified (default 2). */
  perTerminal?: number;
  /** How fast an admitted push must send its body (see BodyPace). */
  pace?: Partial<BodyPace>;
}

export const DEFAULT_INGEST_PER_ADDRESS = 8;
export const DEFAULT_INGEST_PER_TERMINAL = 2;

/**
 * Who may hold a place in the server's ingest work, in the order a push meets them: cheap checks that need no body
 * (in the route), a place for its client address, a place in the global gate, its body at a minimum pace, then after
 * its signature verified a place for its terminal. Each refusal is a 429 (or 408 for a slow body) before any further
 * work.
 */
export class IngestAdmission {
  readonly gate: IngestGate;
  readonly addresses: KeyedPlaces;
  readonly terminals: KeyedPlaces;
  readonly pace: BodyPace;

  constructor(options: IngestAdmissionOptions = {}, onRefused: () => void = () => {}) {
    this.gate = new IngestGate({
      ...options,
      maxActive: options.maxActive ?? DEFAULT_MAX_INGEST_ACTIVE,
      onRefused,
    });
    this.addresses = new KeyedPlaces(
      options.perAddress ?? DEFAULT_INGEST_PER_ADDRESS,
      'this address',
      onRefused,
    );
    this.terminals = new KeyedPlaces(
      options.perTerminal ?? DEFAULT_INGEST_PER_TERMINAL,
      'this terminal',
      onRefused,
    );
    this.pace = { ...DEFAULT_BODY_PACE, ...options.pace };
  }
}
