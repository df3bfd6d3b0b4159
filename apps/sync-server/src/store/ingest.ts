import {
  type EventEnvelope,
  type JournalEvent,
  type LatestJournalEvent,
  readJournalEvent,
} from '@tillwright/protocol';
import { findChainBreak } from '@tillwright/protocol/chain';
import { ApiError } from '../errors.js';
import { type ApprovalRecord, approvalExceptions, approvalIdsLinked } from './approval-checks.js';
import { cardNumberIssues, withoutCardNumbers } from './card-data.js';
import { idReused } from './event-identity.js';
import { overShortException } from './over-short.js';
import type { BusinessException, IngestOutcome, TerminalPrincipal } from './types.js';

/** One listing of a product in the catalog's history: the version it was made at and its price then. */
export interface CatalogListing {
  productId: string;
  version: number;
  price: number;
}

/** What business checks read, inside the ingest transaction. */
export interface BusinessLookups {
  /** Every listing of these products of the org, oldest first (priced history); unknown products have none. */
  catalogListings(orgId: string, productIds: readonly string[]): Promise<CatalogListing[]>;
  /**
   * Per line of a sale already stored for the org (and written by `terminalId`, when given): quantity sold and
   * quantity returned so far.
   */
  saleLineQuantities(
    orgId: string,
    saleId: string,
    terminalId?: string,
  ): Promise<Map<string, { sold: number; returned: number }> | null>;
  /**
   * The manager approvals of these ids that the terminal stored (of the org), each as read; the first stored where
   * two share an id.
   */
  approvals(
    orgId: string,
    terminalId: string,
    approvalIds: readonly string[],
  ): Promise<Map<string, ApprovalRecord>>;
  /** The store's `overShortAlert` in the configuration in force there (its document, else the org's, else default). */
  overShortAlert(orgId: string, storeId: string): Promise<number>;
}

/** What `businessExceptions` asks about one event; `batchLookups` answers it from one read per batch. */
export interface SaleChecks {
  /**
   * The catalog price a sale line is checked against. The sale says which catalog version it was priced with
   * (`pricedWith.catalog`): the product's listing at that version (its newest at or below it) when the history has
   * one, so a price raised after the sale is no exception; otherwise (a product listed after that version, or a
   * version from before the history began) its current price. Null for a product HQ never listed.
   */
  catalogPrice(productId: string, pricedWithCatalog: number): number | null;
  saleLineQuantities: BusinessLookups['saleLineQuantities'];
  /** A manager approval the terminal stored before the event being checked, or null. */
  approval(approvalId: string): ApprovalRecord | null;
  /** An event just stored: a manager approval among them counts for the events after it. */
  stored(event: LatestJournalEvent): void;
  /** The store's over/short alert threshold, read once for a batch that closes a shift (null for other batches). */
  overShortAlert: number | null;
}

/** The few row operations ingest needs inside one transaction; each dialect implements them. */
export interface IngestTx extends BusinessLookups {
  /** Reads the terminal's ingest state, locking it against concurrent batches from the same terminal. */
  lockTerminal(
    terminalId: string,
  ): Promise<{ epoch: number; ackedSeq: number; ackedHash: string; storeId: string; orgId: string }>;
  /** The hashes stored (as events or quarantined) at these seqs of the terminal's epoch, in one read. */
  hashesAtSeqs(terminalId: string, epoch: number, seqs: readonly number[]): Promise<Map<number, string>>;
  /** Which of these event ids the org's stored events already hold, each with the terminal that wrote it. */
  storedEventIds(orgId: string, eventIds: string[]): Promise<Map<string, string>>;
  /** Stores an event; with `latest` (the event read at its latest version) the shifts projection follows it. */
  insertEvent(row: {
    principal: TerminalPrincipal;
    event: JournalEvent;
    receivedAt: string;
    latest?: LatestJournalEvent;
  }): Promise<void>;
  insertQuarantine(row: {
    principal: TerminalPrincipal;
    envelope: EventEnvelope;
    issues: string[];
    receivedAt: string;
  }): Promise<void>;
  insertException(row: {
    principal: TerminalPrincipal;
    eventId: string;
    exception: BusinessException;
    createdAt: string;
  }): Promise<void>;
  insertAlert(row: {
    principal: TerminalPrincipal;
    kind: string;
    detail: string;
    createdAt: string;
  }): Promise<void>;
  setAcked(terminalId: string, seq: number, hash: string, lastSeenAt: string): Promise<void>;
  /** Moves the terminal to a new epoch with nothing acknowledged in it yet. */
  setEpoch(terminalId: string, epoch: number, lastSeenAt: string): Promise<void>;
}

export interface IngestOptions {
  /**
   * Only the chaos harness's negative control sets this to false: a resent event is then stored again, the way a
   * server without a duplicate check would, so the harness can show that it catches double counting.
   */
  checkDuplicates?: boolean;
}

/**
 * One batch, in one transaction (the caller's): stale epochs fenced; exact duplicates skipped; a gap answered with
 * the expected seq; the same seq with another hash refused and alerted; the chain verified; well-chained events
 * whose payload fails its schema, or whose free text holds a card number, quarantined (card numbers masked) and
 * acknowledged; business problems accepted as exceptions. The answer is the last seq of the batch and its hash, so
 * an identical request always gets an identical answer.
 */
export async function ingestBatch(
  tx: IngestTx,
  principal: TerminalPrincipal,
  batch: { epoch: number; events: EventEnvelope[] },
  now: string,
  options: IngestOptions = {},
): Promise<IngestOutcome> {
  const state = await tx.lockTerminal(principal.terminalId);
  if (batch.epoch !== state.epoch) {
    throw new ApiError(
      409,
      'stale_epoch',
      `epoch ${batch.epoch} is not this terminal's current epoch`,
      false,
      {
        currentEpoch: state.epoch,
      },
    );
  }
  // Event ids are unique within an org (store/event-identity.ts): another org's event under the same id is none of
  // this batch's business. A new, well-chained event reusing an id of its org is the terminal's genuine journal (its
  // hash verified), but cannot be stored as an event: it is quarantined, never refused, so it cannot block the till.
  const takenIds = await tx.storedEventIds(
    state.orgId,
    batch.events.map((envelope) => envelope.eventId),
  );
  // Everything the loop looks up is read once per batch, not once per event: a round trip each is what made a
  // PostgreSQL catch-up slow. The loop keeps `known` current as it stores.
  const known = await tx.hashesAtSeqs(
    principal.terminalId,
    batch.epoch,
    batch.events.map((envelope) => envelope.seq),
  );
  const lookups = await batchLookups(tx, principal, state.orgId, batch.events);
  let acked = { seq: state.ackedSeq, hash: state.ackedHash };
  let answer = acked;
  const outcome = { stored: 0, duplicates: 0, quarantined: 0, exceptions: 0 };
  for (const envelope of batch.events) {
    if (
      envelope.terminalId !== principal.terminalId ||
      envelope.storeId !== state.storeId ||
      envelope.epoch !== batch.epoch
    ) {
      throw new ApiError(
        403,
        'identity_mismatch',
        'an event claims another terminal, store or epoch than the credential',
        false,
        {
          eventId: envelope.eventId,
        },
      );
    }
    if (options.checkDuplicates === false && envelope.seq <= acked.seq) {
      await tx.insertEvent({ principal, event: envelope as unknown as JournalEvent, receivedAt: now });
      outcome.stored += 1;
      answer = { seq: envelope.seq, hash: envelope.hash };
      continue;
    }
    const existing = known.get(envelope.seq) ?? null;
    if (existing !== null) {
      if (existing !== envelope.hash) {
        // Fork or tamper: alert outside this (rolled back) transaction is the caller's job; refuse the batch.
        throw new ApiError(
          409,
          'fork',
          `seq ${envelope.seq} was already received with different content`,
          false,
          {
            seq: envelope.seq,
          },
        );
      }
      outcome.duplicates += 1;
      answer = { seq: envelope.seq, hash: envelope.hash };
      continue;
    }
    if (envelope.seq !== acked.seq + 1) {
      throw new ApiError(409, 'seq_gap', `expected seq ${acked.seq + 1}, got ${envelope.seq}`, true, {
        expectedSeq: acked.seq + 1,
      });
    }
    const broken = findChainBreak([envelope as unknown as JournalEvent], acked);
    if (broken) {
      throw new ApiError(
        409,
        'chain_broken',
        `event at seq ${envelope.seq} does not chain: ${broken.reason}`,
        false,
        {
          ...broken,
        },
      );
    }
    // Validated against the version it declares; stored as received (what was hashed), business rules read the
    // latest version. An unknown type or a version newer than this server is quarantined like any event it cannot
    // store (docs/protocol.md, "Versions"): acknowledged, so the till goes on, and kept for HQ.
    const read = readJournalEvent(envelope);
    const holder = takenIds.get(envelope.eventId);
    const cardData = read.ok ? cardNumberIssues(read.written) : [];
    if (!read.ok || cardData.length > 0) {
      const issues = read.ok
        ? [...(holder === undefined ? [] : [idReused(envelope, holder).issue]), ...cardData]
        : read.code === 'event_invalid'
          ? read.issues
          : read.issues.map((issue) => `${read.code}: ${issue}`);
      // Every quarantined row is masked, whatever put it there: a schema failure can carry a card number too.
      await tx.insertQuarantine(withoutCardNumbers({ principal, envelope, issues, receivedAt: now }));
      if (read.ok && holder !== undefined) {
        const { alert } = idReused(envelope, holder);
        await tx.insertAlert({ principal, kind: 'event_id_reused', detail: alert, createdAt: now });
      }
      if (!read.ok && read.code !== 'event_invalid') {
        await tx.insertAlert({
          principal,
          kind: read.code,
          // Not the issues: they quote what the till sent (the type, say), which only quarantine keeps, masked.
          detail: `event ${envelope.eventId} (seq ${envelope.seq}) quarantined: ${read.code === 'event_type_unknown' ? 'an event type this server does not know' : `a ${envelope.type} version (${envelope.schema}) newer than this server knows`}; upgrade the server, the event is kept in quarantine`,
          createdAt: now,
        });
      }
      outcome.quarantined += 1;
    } else if (holder !== undefined) {
      const reused = idReused(envelope, holder);
      await tx.insertQuarantine(
        withoutCardNumbers({ principal, envelope, issues: [reused.issue], receivedAt: now }),
      );
      await tx.insertAlert({ principal, kind: 'event_id_reused', detail: reused.alert, createdAt: now });
      outcome.quarantined += 1;
    } else {
      await tx.insertEvent({
        principal,
        event: envelope as unknown as JournalEvent,
        receivedAt: now,
        latest: read.latest,
      });
      takenIds.set(envelope.eventId, principal.terminalId);
      lookups.stored(read.latest);
      outcome.stored += 1;
      for (const exception of await businessExceptions(read.latest, state.orgId, lookups)) {
        await tx.insertException({ principal, eventId: envelope.eventId, exception, createdAt: now });
        outcome.exceptions += 1;
      }
    }
    known.set(envelope.seq, envelope.hash);
    acked = { seq: envelope.seq, hash: envelope.hash };
    answer = acked;
  }
  await tx.setAcked(principal.terminalId, acked.seq, acked.hash, now);
  return { ackedSeq: answer.seq, ackedHash: answer.hash, ...outcome };
}

/**
 * Business lookups for one batch: every catalog listing of every product its sales name, and every approval its
 * events link that the terminal stored before, each read once; the batch's own approvals are added as it stores them.
 */
async function batchLookups(
  tx: IngestTx,
  principal: TerminalPrincipal,
  orgId: string,
  events: readonly EventEnvelope[],
): Promise<SaleChecks> {
  const productIds = new Set<string>();
  for (const envelope of events) {
    const lines = (envelope.payload as { lines?: unknown } | null)?.lines;
    if (envelope.type !== 'sale' || !Array.isArray(lines)) continue;
    for (const line of lines) {
      const productId = (line as { productId?: unknown } | null)?.productId;
      if (typeof productId === 'string') productIds.add(productId);
    }
  }
  const listings = new Map<string, CatalogListing[]>();
  for (const listing of productIds.size > 0 ? await tx.catalogListings(orgId, [...productIds]) : []) {
    listings.set(listing.productId, [...(listings.get(listing.productId) ?? []), listing]);
  }
  const overShortAlert = events.some((envelope) => envelope.type === 'shift-close')
    ? await tx.overShortAlert(orgId, principal.storeId)
    : null;
  const linked = [...new Set(events.flatMap(approvalIdsLinked))];
  const approvals =
    linked.length > 0
      ? await tx.approvals(orgId, principal.terminalId, linked)
      : new Map<string, ApprovalRecord>();
  return {
    catalogPrice: (productId, pricedWithCatalog) => priceAt(listings.get(productId) ?? [], pricedWithCatalog),
    saleLineQuantities: (org, saleId, terminalId) => tx.saleLineQuantities(org, saleId, terminalId),
    approval: (approvalId) => approvals.get(approvalId) ?? null,
    overShortAlert,
    stored(event) {
      if (event.type !== 'manager-approval' || approvals.has(event.payload.approvalId)) return;
      const { approverId, employeeId } = event.payload;
      approvals.set(event.payload.approvalId, { approverId, employeeId });
    },
  };
}

/** The price at a catalog version from a product's listings (oldest first): see `SaleChecks.catalogPrice`. */
export function priceAt(listings: readonly CatalogListing[], version: number): number | null {
  let found: CatalogListing | undefined;
  for (const listing of listings) if (listing.version <= version) found = listing;
  return (found ?? listings.at(-1))?.price ?? null;
}

/**
 * Problems in a valid event that a person at HQ should look at. The sale happened, so the event is kept either way:
 * a product HQ does not know, a price below the catalog without a recorded approval, a return of more than was sold,
 * an approval that is not one (approval-checks.ts), a shift closed over or short beyond the alert (over-short.ts).
 */
export async function businessExceptions(
  event: LatestJournalEvent,
  orgId: string,
  lookups: SaleChecks,
): Promise<BusinessException[]> {
  const found: BusinessException[] = approvalExceptions(event, lookups.approval);
  const overShort =
    lookups.overShortAlert === null ? null : overShortException(event, lookups.overShortAlert);
  if (overShort) found.push(overShort);
  if (event.type === 'sale') {
    for (const line of event.payload.lines) {
      const price = lookups.catalogPrice(line.productId, event.payload.pricedWith.catalog);
      if (price === null) {
        found.push({
          kind: 'unknown_product',
          detail: `line ${line.lineId}: product ${line.productId} is not in the catalog`,
        });
      } else if (
        // A keyed price (open price, a price label) is checked at the till against the product's limits; a weighed
        // line is compared by its price per kg/lb, its unit price being the weighed amount (decision 0019).
        !line.priceEntered &&
        (line.measure?.pricePerUnit ?? line.unitPrice) < price &&
        !event.payload.approvals.some((a) => a.kind === 'price-override' && a.lineId === line.lineId)
      ) {
        const sold = line.measure ? `${line.measure.pricePerUnit} per unit weighed` : `${line.unitPrice}`;
        found.push({
          kind: 'price_below_catalog',
          detail:
            `line ${line.lineId}: sold at ${sold}, catalog ${price} ` +
            `(priced with catalog version ${event.payload.pricedWith.catalog}), no approval recorded`,
        });
      }
    }
  } else if (event.type === 'return') {
    // The return names the sale's id and its till: only that till's sale is the one returned (the same id in the
    // org on another till is a squatter's, see store/event-identity.ts).
    const { originalSaleId, originalTerminalId } = event.payload;
    const lines = await lookups.saleLineQuantities(orgId, originalSaleId, originalTerminalId);
    if (!lines) {
      found.push({
        kind: 'unknown_original_sale',
        detail: `sale ${originalSaleId} of terminal ${originalTerminalId} has not reached HQ`,
      });
    } else {
      for (const line of event.payload.lines) {
        const known = lines.get(line.lineId);
        // The return itself is already stored in this transaction, so `returned` includes it.
        if (!known || known.returned > known.sold) {
          found.push({
            kind: 'over_return',
            detail: `line ${line.lineId}: ${known?.returned ?? line.quantity} returned of ${known?.sold ?? 0} sold`,
          });
        }
      }
    }
  }
  return found;
}
