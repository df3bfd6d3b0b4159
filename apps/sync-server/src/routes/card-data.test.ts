import { EVENT_PAYLOADS, type EventType, GENESIS_HASH, PAYLOAD_TEXT_FIELDS } from '@tillwright/protocol';
import { samplePayloads } from '@tillwright/protocol/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  eventChain as chainOf,
  type EventDraft as Draft,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';
import { startServerKeepingEverything } from '../testing/store-contents.js';

/** Card numbers as a till might send them, and the digits each must never be stored or logged as. */
const CARDS = {
  visa: { written: '4111.1111.1111.1111', digits: '4111111111111111' },
  mastercard: { written: '5555_5555_5555_4444', digits: '5555555555554444' },
  amex: { written: '3782 822463 10005', digits: '378282246310005' },
  discover: { written: '6011000990139424', digits: '6011000990139424' },
  jcb: { written: '3530111333300000', digits: '3530111333300000' },
  diners: { written: '3622 720627 1667', digits: '36227206271667' },
  mastercard2: { written: '5105-1051-0510-5100', digits: '5105105105105100' },
  embedded: { written: '0 4012888888881881 1228', digits: '4012888888881881' },
} as const;

/** Every way a card number is written above, and its bare digits: none may appear in anything the server keeps. */
const NEEDLES = Object.values(CARDS).flatMap(({ written, digits }) => [written, digits]);

const FREE_TEXT_FIELDS = (Object.keys(EVENT_PAYLOADS) as EventType[]).flatMap((type) =>
  PAYLOAD_TEXT_FIELDS[type].freeText.map((field) => [type, field] as const),
);

/** The payload with `text` written into the field at `path` (`*` meaning the first item). */
function withText(payload: unknown, path: string, text: string): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const steps = path.split('.').map((step) => (step === '*' ? '0' : step));
  let at = copy;
  for (const step of steps.slice(0, -1)) at = at[step] as Record<string, unknown>;
  at[steps.at(-1)!] = text;
  return copy;
}

describe.each(BACKENDS)('card numbers reaching the server, on %s', (backend) => {
  useBackend(backend);
  let opened: Awaited<ReturnType<typeof startServerKeepingEverything>>;
  let server: TestServer;
  let terminal: TestTerminal;
  let logs: string[];

  beforeEach(async () => {
    opened = await startServerKeepingEverything(backend);
    ({ server, logs } = opened);
    terminal = await server.enrol(server.codes[0]!);
  });
  afterEach(() => server.close());

  const hq = (path: string) => server.hqGet(path);

  it('quarantines an event whose free text holds a card number, masked, and acknowledges it so the till carries on', async () => {
    const sale = withText(samplePayloads().sale, 'tenders.*.ref', CARDS.visa.written);
    const [poison, next] = chainOf(terminal, [
      { type: 'sale', payload: sale },
      { type: 'no-sale', payload: samplePayloads()['no-sale'] },
    ]);
    const response = await server.push(terminal, [poison!, next!]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ackedSeq: 2, ackedHash: next!.hash });
    expect(await server.store.counts()).toMatchObject({ events: 1, quarantined: 1 });
    expect((await hq('/v1/hq/quarantine')).events).toEqual([
      expect.objectContaining({
        eventId: poison!.eventId,
        seq: 1,
        type: 'sale',
        issues: [
          'payload.tenders.0.ref: looks like a card number ending 1111; card numbers are never kept, so the ' +
            'event is quarantined with it masked',
        ],
      }),
    ]);
    // The stored hash is the one the till sent: a replay is recognised, and the chain goes on from it.
    expect((await server.push(terminal, [poison!, next!])).json()).toEqual(response.json());
    const [after] = chainOf(terminal, [{ type: 'no-sale', payload: samplePayloads()['no-sale'] }], {
      seq: 2,
      hash: next!.hash,
    });
    expect((await server.push(terminal, [after!])).json()).toEqual({ ackedSeq: 3, ackedHash: after!.hash });
  });

  it('quarantines a card number in every free-text field of every event type', async () => {
    const events = chainOf(
      terminal,
      FREE_TEXT_FIELDS.map(([type, field]) => ({
        type,
        payload: withText(samplePayloads()[type], field, `see ${CARDS.mastercard.written}`),
      })),
    );
    expect((await server.push(terminal, events)).json()).toMatchObject({ ackedSeq: events.length });
    expect(await server.store.counts()).toMatchObject({ events: 0, quarantined: events.length });
    const issues = ((await hq('/v1/hq/quarantine')).events as { issues: string[] }[]).flatMap(
      (e) => e.issues,
    );
    expect(issues).toEqual(
      FREE_TEXT_FIELDS.map(([, field]) =>
        expect.stringMatching(`^payload\\.${field.replaceAll('*', '0')}: `),
      ),
    );
  });

  it('stores barcodes and ids that look like card numbers: they are not free text', async () => {
    const sample = samplePayloads().sale;
    const sale = {
      ...sample,
      // Not one of CARDS: PostgreSQL's WAL is shared by every database of the server the scan below reads.
      lines: [{ ...sample.lines[0]!, barcode: '4006381333924', sku: '4000056655665556', productId: 'pen' }],
    };
    const events = chainOf(terminal, [{ type: 'sale', payload: sale }]);
    expect((await server.push(terminal, events)).statusCode).toBe(200);
    expect(await server.store.counts()).toMatchObject({ events: 1, quarantined: 0 });
  });

  it('leaves no card number in the database, the logs or HQ’s answers, whatever the till sent', async () => {
    const samples = samplePayloads();
    const drafts: Draft[] = [
      // Valid events with a card number in free text.
      { type: 'sale', payload: withText(samples.sale, 'lines.*.name', `Pen ${CARDS.visa.written}`) },
      { type: 'void', payload: withText(samples.void, 'reason', CARDS.embedded.written) },
      // A payload that fails its schema (a reason over 200 characters) around a card number.
      {
        type: 'no-sale',
        payload: { ...samples['no-sale'], reason: `${'x'.repeat(200)} ${CARDS.amex.written}` },
      },
      // A card number as an unknown key, which the schema's issue names.
      { type: 'no-sale', payload: { ...samples['no-sale'], [CARDS.discover.written]: true } },
      // A card number as the event type and as its time.
      { type: CARDS.jcb.written, payload: samples['no-sale'] },
      { type: 'no-sale', payload: samples['no-sale'], occurredAt: CARDS.diners.written },
    ];
    const events = chainOf(terminal, drafts);
    const pushed = await server.push(terminal, events);
    expect(pushed.json()).toEqual({ ackedSeq: events.length, ackedHash: events.at(-1)!.hash });
    expect(await server.store.counts()).toMatchObject({ events: 0, quarantined: events.length });

    // A batch refused after a card-carrying event was handled (a broken link rolls it all back) ...
    const more = chainOf(
      terminal,
      [
        { type: 'paid-out', payload: withText(samples['paid-out'], 'reason', CARDS.mastercard2.written) },
        { type: 'no-sale', payload: samples['no-sale'] },
      ],
      { seq: events.length, hash: events.at(-1)!.hash },
    );
    const refused = await server.push(terminal, [more[0]!, { ...more[1]!, prevHash: GENESIS_HASH }]);
    expect(refused.json().error.code).toBe('chain_broken');
    // ... and a fork: a stored seq sent again with other content.
    const [fork] = chainOf(terminal, [
      { type: 'no-sale', payload: withText(samples['no-sale'], 'reason', CARDS.mastercard.written) },
    ]);
    expect((await server.push(terminal, [fork!])).json().error.code).toBe('fork');

    const answers = JSON.stringify([
      await hq('/v1/hq/quarantine'),
      await hq('/v1/hq/events?after=0'),
      await hq('/v1/hq/exceptions'),
      refused.json(),
    ]);
    const stored = await opened.contents();
    const logged = logs.join('');
    expect(logged).toContain('/v1/journal/batches');
    for (const needle of NEEDLES) {
      expect(stored.includes(needle), `database holds ${needle}`).toBe(false);
      expect(logged.includes(needle), `log holds ${needle}`).toBe(false);
      expect(answers.includes(needle), `HQ shows ${needle}`).toBe(false);
    }
    // What was quarantined is still there to look at, masked: the last four digits and the shape.
    expect(stored).toContain('****.****.****.1111');
    expect(answers).toContain('Unrecognized key: \\"************9424\\"');
  });
});
