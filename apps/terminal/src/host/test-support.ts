import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import { Ledger, type LedgerReader } from '@tillwright/ledger';
import type { CatalogProduct, LatestJournalEvent, PinHash } from '@tillwright/protocol';
import { createUuidV7Generator, KNOWN_EVENT_VERSIONS } from '@tillwright/protocol';
import { hashPin } from '@tillwright/protocol/pin';
import { sampleEmployeeFeedItem } from '@tillwright/protocol/testing';
import type { SessionView, ShiftStatusView } from '../contract/methods.js';
import { Approvals } from './approvals.js';
import { PrinterDevices, type SaleDevices } from './devices.js';
import { JournalWriter } from './journal-writer.js';
import { PinChecks } from './pin-checks.js';
import { defaultPricingConfig } from './pricing-config.js';
import { SaleService } from './sale-service.js';
import { SessionService } from './session-service.js';
import { ShiftService } from './shift-service.js';
import { saleMode, TrainingMode } from './training.js';

export const CATALOG: CatalogProduct[] = [
  {
    productId: 'pen',
    sku: 'PEN',
    name: 'Ballpoint pen',
    barcodes: ['4006381333931'],
    currency: 'EUR',
    price: 250,
    taxCategory: 'standard',
    tags: ['stationery'],
    active: true,
    version: 1,
  },
  {
    productId: 'book',
    sku: 'NB-A5',
    name: 'Notebook A5',
    barcodes: ['5901234123457'],
    currency: 'EUR',
    price: 499,
    taxCategory: 'reduced',
    tags: ['stationery'],
    active: true,
    version: 2,
  },
];

/** An enrolled ledger with a small catalog in a fresh folder, and a deterministic sale-id source. */
export function enrolledLedger(options: { maxSizeBytes?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-host-'));
  const ledger = Ledger.open(join(dir, 'ledger.sqlite'), options);
  ledger.journal.setIdentity({ orgId: 'O', storeId: 'S1', terminalId: 'S1-T01', epoch: 1 });
  ledger.catalog.applyBatch(CATALOG, 2);
  let tick = 1_764_064_800_000;
  const nextSaleId = createUuidV7Generator(
    () => tick++,
    (bytes) => bytes.fill(3),
  );
  return {
    dir,
    ledger,
    nextSaleId,
    cleanup: () => {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const FIXED_NOW = () => new Date('2026-11-25T12:00:00.000Z');

/** The employees of the host's tests: one of each default role, with PINs that pass `weakPinReason`. */
export const STAFF = {
  cashier: {
    employeeId: 'emp-alex',
    number: '1001',
    displayName: 'Alex Cashier',
    roleId: 'cashier',
    pin: '1357',
  },
  supervisor: {
    employeeId: 'emp-sam',
    number: '2001',
    displayName: 'Sam Supervisor',
    roleId: 'supervisor',
    pin: '2468',
  },
  manager: {
    employeeId: 'emp-morgan',
    number: '3001',
    displayName: 'Morgan Manager',
    roleId: 'manager',
    pin: '3579',
  },
} as const;
export type StaffMember = (typeof STAFF)[keyof typeof STAFF];

/** An `employee` feed item for store S1 (the fixture's), active with a PIN hash unless `changes` says otherwise. */
export const employeeItem = sampleEmployeeFeedItem;

/** Real scrypt hashes of the STAFF PINs (default parameters), made once per test file. */
let staffHashes: Promise<Map<string, PinHash>> | null = null;

/**
 * Gives the fixture's ledger the STAFF as its feed would (their real PIN hashes), after `feedVersion`, and has its
 * server announce every event version this code knows, the employee events included.
 */
export async function staffTheTill(ledger: Ledger, feedVersion = 0): Promise<void> {
  staffHashes ??= Promise.all(
    Object.values(STAFF).map(async (member) => [member.number, await hashPin(member.pin)] as const),
  ).then((pairs) => new Map(pairs));
  const hashes = await staffHashes;
  const members = Object.values(STAFF);
  ledger.feed.apply(
    members.map(({ pin: _, ...member }, i) =>
      employeeItem(feedVersion + i + 1, { ...member, pin: hashes.get(member.number)! }),
    ),
    feedVersion + members.length,
  );
  ledger.serverContact.recordVersions({ events: KNOWN_EVENT_VERSIONS, feed: {}, config: [1, 2, 3] });
}

/**
 * The host's clock and timers in a test's hands: `now` stands still until `advance`, which runs each timer that
 * falls due on the way, at its time. No sleeps.
 */
export class TestClock {
  private at: number;
  private timers: { due: number; callback: () => void }[] = [];

  constructor(start: Date = FIXED_NOW()) {
    this.at = start.getTime();
  }

  readonly now = (): Date => new Date(this.at);

  readonly setTimer = (callback: () => void, ms: number): (() => void) => {
    const timer = { due: this.at + ms, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };

  advance(ms: number): void {
    const until = this.at + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.due <= until).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.at = Math.max(this.at, next.due);
      next.callback();
    }
    this.at = until;
  }

  /** Timers waiting to fire. */
  pending(): number {
    return this.timers.length;
  }
}

/**
 * The till's employee side over a fixture's ledger, on a test clock, with its shift and training mode: what the host
 * wires, without the rest.
 */
export function employeeServices(ledger: Ledger, clock: TestClock) {
  const pushed: SessionView[] = [];
  const writer = new JournalWriter({ ledger, now: clock.now, onCommitted: () => {} });
  const pins = new PinChecks({ ledger, writer, now: clock.now, log: () => {} });
  const session = new SessionService({
    ledger,
    pins,
    writer,
    now: clock.now,
    setTimer: clock.setTimer,
    onStatus: (view) => pushed.push(view),
    log: () => {},
  });
  const approvals = new Approvals({ ledger, session, pins, writer, currency: 'EUR' });
  const shiftPushes: ShiftStatusView[] = [];
  const training = new TrainingMode({ ledger, writer, session, approvals, onChange: () => shifts.publish() });
  const shifts = new ShiftService({
    ledger,
    writer,
    session,
    approvals,
    currency: 'EUR',
    store: () => {
      const config = ledger.feed.config();
      return { timeZone: config.timeZone, dayStartHour: config.businessDayStartHour };
    },
    now: clock.now,
    training: () => training.isOn(),
    onStatus: (view) => shiftPushes.push(view),
    log: () => {},
  });
  return { writer, pins, session, approvals, pushed, training, shifts, shiftPushes };
}

/** Every event in the journal, every epoch, in order, as the latest version of its type. */
export function journalEvents(ledger: LedgerReader): LatestJournalEvent[] {
  const events: LatestJournalEvent[] = [];
  const last = ledger.journal.identity()?.epoch ?? 0;
  for (let epoch = 1; epoch <= last; epoch++) {
    for (let seq = 1; seq <= ledger.journal.lastSeq(epoch); seq++) {
      events.push(ledger.journal.read(ledger.journal.bySeq(epoch, seq)!.eventId)!);
    }
  }
  return events;
}

const tillsToCleanUp: (() => void)[] = [];

/** Removes the tills `staffedTill` made: `afterEach(cleanUpTills)`. */
export function cleanUpTills(): void {
  for (const cleanup of tillsToCleanUp.splice(0)) cleanup();
}

/**
 * An enrolled till with the STAFF (real PIN hashes), whose server takes the employee events, its employee side on a
 * test clock; `signedIn` is signed in first.
 */
export async function staffedTill(signedIn?: StaffMember) {
  const fixture = enrolledLedger();
  tillsToCleanUp.push(fixture.cleanup);
  await staffTheTill(fixture.ledger);
  const clock = new TestClock();
  const services = employeeServices(fixture.ledger, clock);
  if (signedIn) await services.session.signIn({ number: signedIn.number, pin: signedIn.pin });
  return { ...fixture, clock, ...services };
}

/** A float of 100.00: two 50.00 notes. */
export const FLOAT_COUNT = [{ value: 5000, count: 2 }];

/**
 * Opens a shift on the fixture's till as `shift.open` would record it (`opener` with a float of 100.00, at `at`),
 * for the tests of what needs one (selling, the drawer); answers its id. The flow itself: shift-service.test.ts.
 */
export function openShiftIn(
  ledger: Ledger,
  { opener = STAFF.manager, at = FIXED_NOW() }: { opener?: StaffMember; at?: Date } = {},
): string {
  const writer = new JournalWriter({ ledger, now: () => at, onCommitted: () => {} });
  const shiftId = writer.id();
  writer.write(
    'shift-open',
    {
      shiftId,
      employeeId: opener.employeeId,
      currency: 'EUR',
      openingFloat: 10_000,
      floatCount: FLOAT_COUNT,
      approvalId: null,
    },
    { eventId: shiftId },
  );
  return shiftId;
}

/** Records what a till's printer and drawer were asked to do, answering each as sent; `onKick` looks at the moment. */
export function recordingDevices(onKick: (kickId: string) => void = () => {}) {
  const kicks: string[] = [];
  const printed: { jobId: string; text: string }[] = [];
  const devices: SaleDevices = {
    columns: 42,
    printReceipt: async (jobId, document) => {
      const text = document.blocks
        .map((block) =>
          block.kind === 'text' ? block.text : block.kind === 'columns' ? `${block.left} ${block.right}` : '',
        )
        .join('\n');
      printed.push({ jobId, text });
      return { outcome: 'sent-unconfirmed' };
    },
    openDrawer: async (kickId) => {
      onKick(kickId);
      kicks.push(kickId);
      return { outcome: 'sent-unconfirmed' };
    },
  };
  return { devices, kicks, printed };
}

/** A sale service over a staffed till's ledger, selling in its open shift as the signed-in employee. */
export function saleServiceFor(
  t: Awaited<ReturnType<typeof staffedTill>>,
  devices: SaleDevices | null = null,
) {
  return new SaleService({
    ledger: t.ledger,
    pricing: () => defaultPricingConfig('DE', 'EUR'),
    isOffline: () => false,
    devices,
    header: { storeName: 'Test Store' },
    now: t.clock.now,
    onCommitted: () => {},
    log: () => {},
    signedInEmployee: () => t.session.requireSignedIn().employee.employeeId,
    saleMode: () => saleMode(t.training, t.shifts),
  });
}

/** The printer emulator on a free port, and the till's printer devices connected to it and ready to print. */
export async function connectedPrinter(): Promise<{ printer: PrinterEmulator; devices: PrinterDevices }> {
  const printer = await startPrinterEmulator({ port: 0 });
  const devices = new PrinterDevices({
    printer: { host: '127.0.0.1', port: printer.port },
    statusTimeoutMs: 500,
    onStatus: () => {},
    log: () => {},
  });
  devices.start();
  await devices.whenReady();
  return { printer, devices };
}
