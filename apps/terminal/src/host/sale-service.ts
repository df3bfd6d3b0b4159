import {
  formatMinorUnits,
  type PricedSale,
  priceSale,
  roundCash,
  type Settlement,
  settleTenders,
} from '@tillwright/commerce';
import type { Ledger } from '@tillwright/ledger';
import {
  DowncastError,
  type JournalEvent,
  type LatestJournalEvent,
  type ReceiptStoreV1,
  type SalePayloadV6,
  saleReceiptNumber,
  upcastJournalEvent,
} from '@tillwright/protocol';
import type { CompletedSale, MethodParams, RecordedSale, SaleQuote } from '../contract/methods.js';
import type { SaleDevices } from './devices.js';
import { JournalWriter } from './journal-writer.js';
import { lineChecks } from './line-checks.js';
import { payRequestDigest, samePayRequest } from './pay-digest.js';
import type { PricingConfig } from './pricing-config.js';
import { type RecordedSaleEvent, type StoreHeader, saleReceipt } from './receipt-layout.js';
import { HostError } from './rpc-dispatcher.js';
import {
  type ApprovalLinker,
  fixedApprovalRules,
  requireApproved,
  type SaleApprovalRules,
} from './sale-approvals.js';
import { type LineContext, type LineDetails, type ResolvedLine, resolveLine } from './sale-lines.js';

export interface SaleServiceDeps {
  ledger: Ledger;
  /** The receipt printer and its drawer; null when the till has none (outcomes are then 'skipped'). */
  devices: SaleDevices | null;
  header: StoreHeader;
  pricing: () => PricingConfig;
  isOffline: () => boolean;
  now: () => Date;
  onCommitted: (event: JournalEvent) => void;
  log: (message: string) => void;
  /**
   * The id of the employee signed in on the till at Pay, who rang the sale up: recorded from sale v3 on, printed as
   * the cashier. Throws (`not_signed_in`, `session_locked`) when nobody may sell now: then nothing is written.
   */
  signedInEmployee: () => string;
  /**
   * How the till sells now: in training mode (journaled `training-sale`, no shift needed: the open one's id is
   * recorded if there is one), or in the open shift. Throws `no_open_shift` when neither: then nothing is written.
   */
  saleMode: () => SaleMode;
  /**
   * The signed-in employee's limits for overrides and discounts, and the manager approvals beyond them
   * (sale-approvals.ts); without it, the configured limits and no approvals.
   */
  approvalRules?: SaleApprovalRules;
}

export interface SaleMode {
  training: boolean;
  shiftId: string | null;
}

/**
 * Completes a sale: prices it from the terminal's own catalog and rules (never from what the renderer displayed),
 * settles the tenders, commits it to the journal, and only then prints the receipt and opens the drawer. A retried
 * Pay (the same sale id, lines and tenders) returns the sale already recorded and prints nothing again; a drawer
 * kick is never retried. A Pay under a recorded sale id that asks for anything else (see pay-digest.ts) is refused
 * with `sale_already_recorded` and records nothing: answering it with the recorded sale would drop what was added.
 */
export class SaleService {
  private readonly writer: JournalWriter;
  private readonly approvalRules: SaleApprovalRules;

  constructor(private readonly deps: SaleServiceDeps) {
    this.writer = new JournalWriter(deps);
    this.approvalRules = deps.approvalRules ?? fixedApprovalRules(() => deps.pricing().limits);
  }

  async complete(request: MethodParams<'sale.complete'>): Promise<CompletedSale> {
    const { ledger } = this.deps;
    const employeeId = this.deps.signedInEmployee();
    const existing = ledger.journal.read(request.saleId);
    if (existing) return this.retried(asSale(existing), request);
    const mode = this.deps.saleMode();

    const now = this.deps.now();
    const config = this.deps.pricing();
    const linker = this.approvalRules.linker(request.saleId);
    const { priced, details } = this.price(request, now, config, linker);
    requireApproved(priced);
    const settlement = settleTenders(priced.total, request.tenders, {
      offline: this.deps.isOffline(),
      cashRounding: config.cashRounding,
    });

    // Written at the newest sale version the server announced it accepts (v1 until it has said): v2 records the
    // store's zone, v3 the employee, v4 the shift, v5 its receipt number. A sale is always written; a training sale only to a server that
    // announced the type (training reads off without one, so this is a server downgraded during this Pay).
    const written = writeOrRefuse(() =>
      this.writer.write(
        mode.training ? 'training-sale' : 'sale',
        salePayload(
          priced,
          details,
          settlement,
          config.timeZone,
          employeeId,
          mode.shiftId,
          receiptStore(this.deps.header),
        ),
        { eventId: request.saleId, at: now, requestDigest: payRequestDigest(request) },
      ),
    );
    if (!written) {
      throw new HostError(
        'training_not_supported',
        "This till's sync server no longer takes training sales, so nothing was recorded: turn training mode off",
        false,
      );
    }
    const sale = asSale(upcastJournalEvent(written.event));
    if (!written.created) return this.describe(sale, true, 'skipped', 'skipped');

    const receipt = await this.printReceipt(sale);
    // Training moves no money: the drawer stays shut.
    const drawer = settlement.opensDrawer && sale.type === 'sale' ? await this.openDrawer(sale) : 'skipped';
    return this.describe(sale, false, receipt, drawer);
  }

  /** The sale recorded under an id, with the lines it sold; null when there is none. */
  recorded(saleId: string): RecordedSale | null {
    const event = this.deps.ledger.journal.read(saleId);
    if (!event) return null;
    const sale = asSale(event);
    return {
      sale: this.describe(sale, true, 'skipped', 'skipped'),
      employeeId: sale.payload.employeeId,
      lines: sale.payload.lines.map(({ lineId, productId, name, quantity, kind, unitPrice }) => ({
        lineId,
        productId,
        name,
        quantity,
        ...(kind === 'custom' ? { custom: { description: name, amount: unitPrice } } : {}),
      })),
    };
  }

  /** The answer to a Pay whose sale id is already recorded: the recorded sale if it asks the same, else a refusal. */
  private retried(sale: RecordedSaleEvent, request: MethodParams<'sale.complete'>): CompletedSale {
    const recorded = this.describe(sale, true, 'skipped', 'skipped');
    if (samePayRequest(request, sale, this.deps.ledger.journal.payRequestDigest(sale.eventId)))
      return recorded;
    throw new HostError(
      'sale_already_recorded',
      `This sale was already paid (receipt ${recorded.receiptNumber}, ` +
        `${recorded.currency} ${formatMinorUnits(recorded.paid, recorded.currency)}) with other items or payment ` +
        'than this Pay, so nothing more was recorded. Ring up anything added since as a new sale.',
      false,
    );
  }

  /** Prices the cart as it stands, for the renderer to show: the same rules the sale will be recorded with. */
  quote(request: MethodParams<'sale.quote'>): SaleQuote {
    const config = this.deps.pricing();
    const { priced } = this.price(
      request,
      this.deps.now(),
      config,
      this.approvalRules.linker(request.saleId),
    );
    return {
      currency: priced.currency,
      subtotal: priced.subtotal,
      discountTotal: priced.discountTotal,
      taxTotal: priced.taxTotal,
      total: priced.total,
      cashDue: roundCash(priced.total, config.cashRounding),
      lines: priced.lines.map((line) => {
        const adjustments = line.adjustments.map((adjustment) => ({
          source: adjustment.source,
          label: priced.promotions.find((p) => p.promotionId === adjustment.ref)?.name ?? adjustment.ref,
          amount: adjustment.amount,
        }));
        return {
          lineId: line.lineId,
          unitPrice: line.unitPrice,
          extended: line.extended,
          amount: line.amount,
          discounts: adjustments.map((adjustment) => adjustment.label),
          adjustments,
        };
      }),
      promotions: priced.promotions.map(({ promotionId, name, amount }) => ({ promotionId, name, amount })),
      approvals: priced.approvals.map(({ kind, lineId, rate, limit, approvedBy }) => ({
        kind,
        lineId,
        rate,
        limit,
        approved: approvedBy !== null,
      })),
    };
  }

  /** The requested lines against the till's catalog, in order (sale-lines.ts). */
  private resolve(request: MethodParams<'sale.quote'>, linker: ApprovalLinker): ResolvedLine[] {
    const { ledger } = this.deps;
    const { customLines, jurisdiction } = this.deps.pricing();
    const context: LineContext = {
      currency: request.currency,
      findProduct: (id: string) => ledger.catalog.findById(id),
      customLines,
      jurisdiction,
      linkApproval: linker.link,
      ...lineChecks(ledger, this.deps.now(), this.writer),
    };
    return request.lines.map((line) => resolveLine(line, context));
  }

  private price(
    request: MethodParams<'sale.quote'>,
    now: Date,
    config: PricingConfig,
    linker: ApprovalLinker,
  ): { priced: PricedSale; details: ReadonlyMap<string, LineDetails> } {
    const { ledger } = this.deps;
    const identity = ledger.journal.identity();
    if (!identity)
      throw new HostError('not_enrolled', 'this terminal is not enrolled yet; enrol it before selling', true);
    const resolved = this.resolve(request, linker);
    const basket = request.basketDiscount;
    const basketApproval = basket && linker.link('basket-discount', null, basket.approvalId);
    const priced = priceSale({
      currency: request.currency,
      lines: resolved.map((line) => line.input),
      ...(basket
        ? {
            basketDiscount: {
              ...basket.discount,
              reason: basket.reason,
              ...(basketApproval ? { approval: basketApproval } : {}),
            },
          }
        : {}),
      promotions: config.promotions,
      context: {
        at: now.toISOString(),
        timeZone: config.timeZone,
        storeId: identity.storeId,
        channel: 'pos',
      },
      jurisdiction: config.jurisdiction,
      limits: this.approvalRules.limits(),
      versions: {
        catalog: ledger.catalog.cursor(),
        priceList: config.versions.priceList,
        promotions: config.versions.promotions,
        taxRules: config.jurisdiction.version,
      },
    });
    linker.checkCovered(priced);
    // What the journal records of each line besides its price, from the same resolution: lines are resolved once.
    return { priced, details: new Map(resolved.map((line) => [line.input.lineId, line.details])) };
  }

  private async printReceipt(event: RecordedSaleEvent): Promise<CompletedSale['receipt']> {
    const { devices } = this.deps;
    if (!devices) return 'skipped';
    const cashierName = (id: string) => this.deps.ledger.feed.employee(id)?.displayName ?? id;
    const document = saleReceipt(
      event,
      this.deps.header,
      devices.columns,
      this.deps.pricing().timeZone,
      cashierName,
    );
    const result = await devices.printReceipt(`receipt-${event.eventId}`, document);
    if (result.error) this.deps.log(`receipt for ${event.eventId}: ${result.outcome}: ${result.error}`);
    return result.outcome;
  }

  /** Exactly one kick per sale, whatever its outcome: a kick is never retried. */
  private async openDrawer(event: RecordedSaleEvent): Promise<CompletedSale['drawer']> {
    const { devices } = this.deps;
    if (!devices) return 'skipped';
    const result = await devices.openDrawer(`drawer-${event.eventId}`, `sale ${event.eventId}`);
    if (result.error) this.deps.log(`drawer for ${event.eventId}: ${result.outcome}: ${result.error}`);
    return result.outcome;
  }

  private describe(
    event: RecordedSaleEvent,
    alreadyRecorded: boolean,
    receipt: CompletedSale['receipt'],
    drawer: CompletedSale['drawer'],
  ): CompletedSale {
    const sale = event.payload;
    return {
      saleId: event.eventId,
      receiptNumber: saleReceiptNumber(event),
      currency: sale.currency,
      total: sale.total,
      taxTotal: sale.taxTotal,
      paid: sale.paid,
      cashRounding: sale.cashRounding,
      change: sale.change,
      alreadyRecorded,
      training: event.type === 'training-sale',
      receipt,
      drawer,
    };
  }
}

/**
 * A sale whose lines need the newest sale version (a custom, weighed, keyed, overridden or age-checked line) cannot be written at
 * the version an older server takes: refused with words, nothing written.
 */
function writeOrRefuse<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!(error instanceof DowncastError)) throw error;
    throw new HostError(
      'server_too_old',
      `This till's sync server is too old to record this sale (${error.message}), so nothing was recorded: ` +
        'take the custom, weighed, keyed-price or overridden lines off, or ask HQ to upgrade the server',
      false,
    );
  }
}

/** The event a sale id names must be a sale or a training sale: the id was minted for one. */
function asSale(event: LatestJournalEvent): RecordedSaleEvent {
  if (event.type !== 'sale' && event.type !== 'training-sale') {
    throw new HostError('conflict', `event ${event.eventId} is a ${event.type}, not a sale`, false);
  }
  return event;
}

/**
 * The journal's snapshot of a priced and settled sale, at the latest version: rung up by `employeeId` in `timeZone`,
 * in shift `shiftId`.
 */
function salePayload(
  priced: PricedSale,
  details: ReadonlyMap<string, LineDetails>,
  settlement: Settlement,
  timeZone: string,
  employeeId: string,
  shiftId: string | null,
  store: ReceiptStoreV1,
): SalePayloadV6 {
  return {
    currency: priced.currency,
    pricesIncludeTax: priced.pricesIncludeTax,
    jurisdiction: priced.jurisdiction,
    lines: priced.lines.map((line) => {
      const recorded = details.get(line.lineId);
      if (!recorded) throw new Error(`priced line ${line.lineId} was not requested`);
      return { ...line, ...recorded };
    }),
    promotions: priced.promotions,
    taxes: priced.taxes,
    subtotal: priced.subtotal,
    discountTotal: priced.discountTotal,
    taxTotal: priced.taxTotal,
    total: priced.total,
    approvals: priced.approvals.map((need) => ({
      ...need,
      approvedBy: need.approvedBy ?? '',
      approvalId: need.approvalId ?? null,
    })),
    tenders: settlement.tenders,
    cashRounding: settlement.cashRounding,
    paid: settlement.paid,
    change: settlement.change,
    pricedWith: priced.versions,
    timeZone,
    employeeId,
    shiftId,
    // The ledger numbers the sale in the transaction that records it.
    receiptNumber: null,
    store,
  };
}

/** The store details the receipt prints now, recorded with the sale so that a reprint says the same. */
function receiptStore(header: StoreHeader): ReceiptStoreV1 {
  return {
    name: header.storeName || null,
    address: [...(header.address ?? [])],
    taxId: header.taxId ?? null,
  };
}
