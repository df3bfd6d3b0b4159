import { columnTypes, type Migration } from './migration-kit.js';

/** Event types whose payload names the shift they belong to (`payload.shiftId`), at their latest versions. */
export const SHIFT_LINKED_TYPES = [
  'shift-open',
  'shift-close',
  'cash-drop',
  'paid-in',
  'paid-out',
  'sale',
  'void',
  'no-sale',
  'training-sale',
] as const;

const linkedTypes = SHIFT_LINKED_TYPES.map((type) => `'${type}'`).join(', ');

/**
 * Version 10, shifts (issue #16, decision 0015 "HQ"): each event's `shift_id`, indexed, so a shift's cash movements
 * and events are found without reading a till's whole journal; the `shifts` projection, one row per shift kept in the
 * ingest transaction (store/shift-projection.ts), so HQ lists shifts with their totals without re-adding every sale;
 * and structured `data` on business exceptions (the over/short's amount and threshold). The projection starts empty:
 * no till wrote shift events before #16, and the events themselves are untouched.
 */
export const SHIFTS_MIGRATION: Migration = {
  version: 10,
  what: 'shifts: the shift each event names, the shifts projection, and structured exception data',
  steps(db, dialect) {
    const t = columnTypes(dialect);
    const shiftOf =
      dialect === 'postgres'
        ? "body::jsonb #>> '{payload,shiftId}'"
        : "json_extract(body, '$.payload.shiftId')";
    return [
      db.schema.alterTable('events').addColumn('shift_id', 'text'),
      `UPDATE events SET shift_id = ${shiftOf} WHERE type IN (${linkedTypes})`,
      'CREATE INDEX events_by_shift ON events (org_id, shift_id) WHERE shift_id IS NOT NULL',
      db.schema.alterTable('business_exceptions').addColumn('data', 'text'),
      db.schema
        .createTable('shifts')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('shift_id', 'text', (c) => c.notNull())
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('terminal_id', 'text', (c) => c.notNull())
        // The stream offset of the shift-open event: the list's order and paging cursor (commit order).
        .addColumn('open_offset', t.int, (c) => c.notNull())
        .addColumn('open_event_id', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('opened_at', t.time, (c) => c.notNull())
        .addColumn('opened_by', 'text', (c) => c.notNull())
        .addColumn('opening_float', t.int, (c) => c.notNull())
        .addColumn('float_count', 'text')
        .addColumn('open_approval_id', 'text')
        .addColumn('close_event_id', 'text')
        .addColumn('closed_at', t.time)
        .addColumn('closed_by', 'text')
        .addColumn('expected', 'text')
        .addColumn('counted', 'text')
        .addColumn('over_short', 'text')
        .addColumn('cash_count', 'text')
        .addColumn('blind', 'integer')
        .addColumn('close_approval_id', 'text')
        .addColumn('sales_count', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('sales_total', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('training_sales_count', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('voids_count', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('voids_total', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('no_sales', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('events_count', t.int, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('shifts_pkey', ['org_id', 'shift_id']),
      db.schema.createIndex('shifts_by_org').on('shifts').columns(['org_id', 'open_offset']),
    ];
  },
};
