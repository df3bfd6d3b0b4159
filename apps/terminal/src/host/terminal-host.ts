import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { SimulatedScanner } from '@tillwright/devices/sim';
import { Ledger } from '@tillwright/ledger';
import type { EventName, EventPayload, ProductView } from '../contract/methods.js';
import { SALE_LIST_DEFAULT } from '../contract/receipt-methods.js';
import type { RpcEventMessage, RpcResponse } from '../contract/wire.js';
import { Approvals } from './approvals.js';
import { CartConfig } from './cart-config.js';
import { recordCashMovement } from './cash-movements.js';
import { CredentialFile } from './credentials.js';
import { businessDayReport } from './day-report.js';
import { NO_DEVICES_STATUS, PrinterDevices } from './devices.js';
import { lockedEmployees, unlockEmployee } from './employee-unlock.js';
import { JournalWriter } from './journal-writer.js';
import { openDrawerWithoutSale } from './no-sale.js';
import { ParkedSales } from './parked-sales.js';
import { PinChecks } from './pin-checks.js';
import { PostVoids } from './post-void.js';
import { configuredPricing, defaultPricingConfig, type PricingConfig } from './pricing-config.js';
import { lookupProduct, productView } from './product-lookup.js';
import { configuredHeader } from './receipt-layout.js';
import { createDispatcher, HostError } from './rpc-dispatcher.js';
import { SaleApprovals } from './sale-approvals.js';
import { SaleReceipts } from './sale-receipts.js';
import { SaleService } from './sale-service.js';
import { ServerClient } from './server-client.js';
import { ServerClock } from './server-clock.js';
import { SessionService, type SetTimer } from './session-service.js';
import { closeShift } from './shift-close.js';
import { ShiftReports } from './shift-reports.js';
import { ShiftService } from './shift-service.js';
import { SyncActions } from './sync-actions.js';
import { SyncClient } from './sync-client.js';
import { saleMode, TrainingMode } from './training.js';

/** How long the till keeps a catalog version no sale was priced with after a newer one arrived. */
export const CATALOG_HISTORY_DAYS = 90;

export interface TerminalHostOptions {
  dataDir: string;
  serverUrl: string;
  enrolmentCode: string | null;
  terminalName: string;
  printer: { host: string; port: number } | null;
  simulators: boolean;
  currency: string;
  storeName: string;
  taxJurisdiction: string;
  now?: () => Date;
  /** The auto-lock's timer, on the same clock as `now` (tests drive both). */
  setTimer?: SetTimer;
  random?: () => number;
  log?: (message: string) => void;
}

/**
 * The terminal host: owns the ledger, the devices and the sync loop, and answers the renderer contract.
 * It runs the same in Electron's utility process and as a plain Node process in browser mode.
 */
export class TerminalHost {
  private readonly events = new EventEmitter<{ event: [RpcEventMessage] }>();
  private readonly ledger: Ledger;
  private readonly sync: SyncClient;
  private readonly scanner: SimulatedScanner | null;
  private readonly devices: PrinterDevices | null;
  private readonly session: SessionService;
  private readonly shifts: ShiftService;
  private readonly cartConfig: CartConfig;
  readonly dispatch: ReturnType<typeof createDispatcher>;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;

  constructor(options: TerminalHostOptions) {
    const now = options.now ?? (() => new Date());
    const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
    this.now = now;
    this.log = log;
    this.ledger = Ledger.open(join(options.dataDir, 'ledger.sqlite'));
    this.sync = new SyncClient({
      ledger: this.ledger,
      server: new ServerClient(options.serverUrl, {
        // The offset measured before the last restart, so the first request is already signed right.
        clock: new ServerClock(this.ledger.serverContact.get().clockOffsetMs),
      }),
      credentials: new CredentialFile(options.dataDir),
      enrolment: { code: options.enrolmentCode, terminalName: options.terminalName },
      now,
      random: options.random ?? Math.random,
      onStatus: (status) => {
        this.emit('sync.status', status);
        // A pull may have brought another configuration (roles, auto-lock, the store's clock) or a deactivation.
        this.session?.refresh();
        this.shifts?.publish();
        this.cartConfig?.publish();
      },
      log,
    });
    // The store's clock comes from HQ's terminal config, read at each use so a pulled change applies to the next sale.
    const basePricing = defaultPricingConfig(options.taxJurisdiction, options.currency);
    const pricing = (): PricingConfig => configuredPricing(basePricing, this.ledger.feed);
    this.devices = options.printer
      ? new PrinterDevices({
          printer: options.printer,
          onStatus: (status) => this.emit('devices.status', status),
          log,
        })
      : null;
    const onCommitted = () => this.sync.kick();
    const writer = new JournalWriter({ ledger: this.ledger, now, onCommitted });
    const pins = new PinChecks({ ledger: this.ledger, writer, now, log });
    const session = new SessionService({
      ledger: this.ledger,
      pins,
      writer,
      now,
      ...(options.setTimer ? { setTimer: options.setTimer } : {}),
      onStatus: (view) => this.emit('session.status', view),
      log,
    });
    this.session = session;
    const approvals = new Approvals({
      ledger: this.ledger,
      session,
      pins,
      writer,
      currency: options.currency,
    });
    const syncActions = new SyncActions({
      session,
      approvals,
      sync: this.sync,
      terminalId: () => this.ledger.journal.identity()?.terminalId ?? 'this till',
    });
    const header = configuredHeader(() => this.ledger.feed.config(), options.storeName);
    const training = new TrainingMode({
      ledger: this.ledger,
      writer,
      session,
      approvals,
      onChange: () => this.shifts.publish(),
    });
    const shifts = new ShiftService({
      ledger: this.ledger,
      writer,
      session,
      approvals,
      currency: options.currency,
      store: pricing,
      now,
      training: () => training.isOn(),
      onStatus: (view) => this.emit('shift.status', view),
      log,
    });
    this.shifts = shifts;
    const reports = new ShiftReports({
      ledger: this.ledger,
      shifts,
      approvals,
      devices: this.devices,
      header,
      store: pricing,
      now,
      log,
    });
    const drawerDeps = {
      ledger: this.ledger,
      session,
      approvals,
      writer,
      shifts,
      training,
      devices: this.devices,
      header,
      timeZone: () => pricing().timeZone,
      log,
    };
    const postVoids = new PostVoids(drawerDeps);
    const receipts = new SaleReceipts({
      ledger: this.ledger,
      devices: this.devices,
      header,
      timeZone: () => pricing().timeZone,
      log,
    });
    const saleApprovals = new SaleApprovals({ ledger: this.ledger, session, approvals });
    const sales = new SaleService({
      ledger: this.ledger,
      pricing,
      isOffline: () => this.sync.status().state !== 'online',
      devices: this.devices,
      header,
      now,
      onCommitted,
      log,
      signedInEmployee: () => session.requireSignedIn().employee.employeeId,
      saleMode: () => saleMode(training, shifts),
      approvalRules: saleApprovals,
    });
    const parked = new ParkedSales({
      ledger: this.ledger,
      now,
      parker: () => session.requireSignedIn().employee,
      quote: (request) => sales.quote(request),
      recorded: (saleId) => sales.recorded(saleId),
    });
    /** Every method that sells, opens the drawer or acts for someone: only for an employee signed in, unlocked. */
    const gated =
      <P, R>(handler: (params: P) => R) =>
      (params: P): R => {
        session.requireSignedIn();
        return handler(params);
      };
    this.cartConfig = new CartConfig({
      config: () => this.ledger.feed.config(),
      findProduct: (productId) => this.ledger.catalog.findById(productId),
      view: (product) => productView(product, null),
      currency: options.currency,
      onChange: (view) => this.emit('cart.config', view),
    });
    this.scanner = options.simulators ? new SimulatedScanner() : null;
    this.scanner?.on('data', (scan) => {
      this.emit('scanner.scan', { barcode: scan.data, product: this.lookup(scan.data) });
    });
    this.dispatch = createDispatcher(
      {
        'session.hello': () => {
          const identity = this.ledger.journal.identity();
          return {
            terminalId: identity?.terminalId ?? null,
            storeId: identity?.storeId ?? null,
            currency: options.currency,
            simulators: options.simulators,
            sync: this.sync.status(),
          };
        },
        'catalog.lookup': ({ barcode }) => this.lookup(barcode),
        'catalog.quickKeys': () => this.cartConfig.quickKeys(),
        'sale.customLines': () => this.cartConfig.customLines(),
        'catalog.search': gated(({ text, limit }) => ({
          products: this.ledger.catalog.search(text, limit).map((entry) => productView(entry, null)),
        })),
        'sale.quote': gated((params) => sales.quote(params)),
        'sale.complete': gated((params) => sales.complete(params)),
        'sale.approve': gated((params) => saleApprovals.approve(params)),
        'sale.recorded': gated(({ saleId }) => sales.recorded(saleId)),
        'sale.receipt': gated(({ saleId }) => receipts.text(saleId)),
        'sale.reprint': gated(({ saleId }) => receipts.reprint(saleId)),
        'sale.list': gated(({ before, limit, receiptNumber }) =>
          this.ledger.sales.recent({
            limit: limit ?? SALE_LIST_DEFAULT,
            ...(before ? { before } : {}),
            ...(receiptNumber ? { number: receiptNumber } : {}),
          }),
        ),
        'sale.park': gated((params) => parked.park(params)),
        'sale.parkedList': gated(() => parked.list()),
        'sale.parkedRead': gated(({ saleId }) => parked.read(saleId)),
        'sale.unpark': gated(({ saleId }) => parked.unpark(saleId)),
        'reports.businessDay': ({ day }) => businessDayReport(this.ledger, pricing(), now(), day),
        'sync.status': () => this.sync.status(),
        'sync.retry': (params) => syncActions.retry(params),
        'sync.startNewEpoch': (params) => syncActions.startNewEpoch(params),
        'session.status': () => session.status(),
        'session.employees': () => session.employees(),
        'session.signIn': (params) => session.signIn(params),
        'session.signOut': () => session.signOut(),
        'session.lock': () => session.lock(),
        'session.activity': () => session.activity(),
        'employees.locked': () => lockedEmployees(pins),
        'employees.unlock': (params) =>
          unlockEmployee({ ledger: this.ledger, session, approvals, pins }, params),
        'drawer.noSale': (params) => openDrawerWithoutSale(drawerDeps, params),
        'shift.status': () => shifts.status(),
        'shift.open': (params) => shifts.open(params),
        'shift.report': gated(({ approval }) => reports.current(approval)),
        'shift.printReport': gated(async ({ approval }) => ({
          receipt: await reports.printCurrent(approval),
        })),
        'shift.close': (params) =>
          closeShift(
            {
              writer,
              session,
              approvals,
              shifts,
              reports,
              training,
              expectedByTender: (shiftId) => this.ledger.projections.expectedByTender(shiftId),
              log,
            },
            params,
          ),
        'cash.movement': (params) => recordCashMovement(drawerDeps, params),
        'sale.voidable': gated(() => postVoids.voidable()),
        'sale.postVoid': (params) => postVoids.postVoid(params),
        'training.set': async (params) => {
          await training.set(params);
          return shifts.publish();
        },
        'devices.status': () => this.devices?.status() ?? NO_DEVICES_STATUS,
        'devices.simulateScan': ({ data }) => {
          if (!this.scanner)
            throw new HostError('not_available', 'the simulated scanner is off on this terminal', false);
          this.scanner.inject(data);
          return { accepted: true };
        },
      },
      (error, method) =>
        log(`unexpected failure in ${method}: ${error instanceof Error ? error.stack : String(error)}`),
    );
  }

  start(): void {
    // Catalog history (decision 0011): versions superseded more than CATALOG_HISTORY_DAYS ago go, unless a sale in
    // the journal was priced with them.
    const cutoff = new Date(this.now().getTime() - CATALOG_HISTORY_DAYS * 86_400_000).toISOString();
    const dropped = this.ledger.catalog.pruneHistory(cutoff);
    if (dropped > 0) this.log(`catalog history: dropped ${dropped} versions superseded before ${cutoff}`);
    this.sync.start();
    this.devices?.start();
  }

  async stop(): Promise<void> {
    this.session.stop();
    await this.sync.stop();
    await this.devices?.stop();
    this.ledger.close();
  }

  subscribe(listener: (message: RpcEventMessage) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  call(id: number, method: string, params: unknown): Promise<RpcResponse> {
    return this.dispatch(id, method, params);
  }

  private lookup(barcode: string): ProductView | null {
    return lookupProduct(this.ledger.catalog, barcode, this.ledger.feed.config().barcodeRegion);
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.events.emit('event', { event, payload } as RpcEventMessage);
  }
}
