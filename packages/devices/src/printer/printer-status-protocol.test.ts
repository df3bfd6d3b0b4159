import { describe, expect, it } from 'vitest';
import { FakeClock } from '../model/clock.js';
import { PrinterStatusProtocol } from './printer-status-protocol.js';
import { PROFILE_80MM } from './profiles.js';

/** A DLE EOT answer byte: bits 1 and 4 set, bits 0 and 7 clear; `flags` fills the others. */
const answer = (flags = 0) => Uint8Array.of(0x12 | flags);
const DLE_EOT_1 = [0x10, 0x04, 0x01];

function protocolOn(clock: FakeClock, timeoutMs = 1000) {
  const written: number[][] = [];
  const protocol = new PrinterStatusProtocol({
    profile: PROFILE_80MM,
    clock,
    timeoutMs,
    io: {
      isUp: () => true,
      write: async (bytes) => {
        written.push([...bytes]);
      },
    },
    onEvent: () => {},
  });
  return { protocol, written };
}

/** Asks and lets the query time out unanswered (the printer may still answer it late). */
async function unansweredQuery(
  protocol: PrinterStatusProtocol,
  clock: FakeClock,
  kinds: readonly (1 | 2 | 3 | 4)[] = [1],
): Promise<void> {
  const query = protocol.query(kinds);
  const failed = expect(query).rejects.toMatchObject({ code: 'E_TIMEOUT' });
  await clock.advance(1000);
  await failed;
}

describe('PrinterStatusProtocol: DLE EOT answers matched to their queries', () => {
  it('discards the late answer to a query that timed out, and gives the next query its own answer', async () => {
    const clock = new FakeClock(0);
    const { protocol, written } = protocolOn(clock);
    await unansweredQuery(protocol, clock, [1]);
    protocol.receive(answer(0x04)); // the late answer to the first query
    const second = protocol.query([1]);
    await clock.advance(0);
    protocol.receive(answer(0x08));
    await expect(second).resolves.toEqual([0x12 | 0x08]);
    expect(written).toEqual([DLE_EOT_1, DLE_EOT_1]);
  });

  it('does not discard the next real answer when the printer never answered the query that timed out', async () => {
    const clock = new FakeClock(0);
    const { protocol } = protocolOn(clock);
    await unansweredQuery(protocol, clock, [1]);
    await clock.advance(5000); // no answer ever came
    for (const flags of [0x04, 0x08, 0x20]) {
      const next = protocol.query([1]);
      await clock.advance(0);
      protocol.receive(answer(flags));
      await expect(next).resolves.toEqual([0x12 | flags]);
    }
  });

  it('holds a query asked while a late answer may still come until that answer arrives or its time is up', async () => {
    const clock = new FakeClock(0);
    const { protocol, written } = protocolOn(clock);
    await unansweredQuery(protocol, clock, [1]);
    const second = protocol.query([1]);
    await clock.advance(10);
    expect(written).toHaveLength(1); // not asked yet: an answer now would be ambiguous
    protocol.receive(answer(0x04)); // the first query's answer, late
    await clock.advance(0);
    expect(written).toHaveLength(2);
    protocol.receive(answer(0x08));
    await expect(second).resolves.toEqual([0x12 | 0x08]);

    // And when the late answer never comes, the held query goes out once the wait for it is over.
    await unansweredQuery(protocol, clock, [2]);
    const fourth = protocol.query([1]);
    await clock.advance(999);
    expect(written).toHaveLength(3);
    await clock.advance(1);
    expect(written).toHaveLength(4);
    protocol.receive(answer(0x20));
    await expect(fourth).resolves.toEqual([0x12 | 0x20]);
  });

  it('forgets owed late answers on a fresh link', async () => {
    const clock = new FakeClock(0);
    const { protocol } = protocolOn(clock);
    await unansweredQuery(protocol, clock, [1]);
    protocol.reset();
    const next = protocol.query([1]);
    await clock.advance(0);
    protocol.receive(answer(0x04));
    await expect(next).resolves.toEqual([0x12 | 0x04]);
  });
});
