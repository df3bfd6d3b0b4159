import { join } from 'node:path';
import type { PrinterEmulator } from '@tillwright/devices/sim';
import { type Ledger, LedgerReader } from '@tillwright/ledger';
import type { LatestJournalEvent } from '@tillwright/protocol';
import type { DevicesStatusView, EventName, EventPayload, MethodName } from '../contract/methods.js';
import type { RpcEventMessage, RpcResponse } from '../contract/wire.js';
import { TerminalHost } from './terminal-host.js';
import { enrolledLedger, journalEvents, type StaffMember, staffTheTill, TestClock } from './test-support.js';

/**
 * A whole terminal host over an enrolled, staffed ledger in a fresh folder, answering the contract as the renderer
 * calls it, on a test clock; printing to `printer` (the emulator) when given. `restart` stops the host and starts a
 * new one on the same ledger file, as after a power loss. The sync server is unreachable: the till is offline.
 * `prepare` changes the ledger before the host opens it (what its server announced, a shift already open…).
 */
export async function hostFixture(
  options: { printer?: PrinterEmulator; prepare?: (ledger: Ledger) => void } = {},
) {
  const fixture = enrolledLedger();
  await staffTheTill(fixture.ledger);
  options.prepare?.(fixture.ledger);
  fixture.ledger.close();
  const clock = new TestClock();
  const pushed: RpcEventMessage[] = [];
  let nextId = 1;
  const start = async () => {
    const host = new TerminalHost({
      dataDir: fixture.dir,
      serverUrl: 'http://127.0.0.1:9',
      enrolmentCode: null,
      terminalName: 'Till',
      printer: options.printer ? { host: '127.0.0.1', port: options.printer.port } : null,
      simulators: false,
      currency: 'EUR',
      storeName: 'Test Store',
      taxJurisdiction: 'DE',
      now: clock.now,
      setTimer: clock.setTimer,
      log: () => {},
    });
    const online = options.printer
      ? new Promise<void>((resolve) => {
          host.subscribe((message) => {
            if (
              message.event === 'devices.status' &&
              (message.payload as DevicesStatusView).printer === 'online'
            )
              resolve();
          });
        })
      : Promise.resolve();
    host.subscribe((message) => pushed.push(message));
    if (options.printer) host.start();
    await online;
    return host;
  };
  let host = await start();

  /** What the journal holds now, read as another process would (the host keeps its own handle). */
  const read = <T>(reading: (reader: LedgerReader) => T): T => {
    const reader = LedgerReader.open(join(fixture.dir, 'ledger.sqlite'));
    try {
      return reading(reader);
    } finally {
      reader.close();
    }
  };

  return {
    dir: fixture.dir,
    clock,
    nextSaleId: fixture.nextSaleId,
    call: (method: MethodName, params: unknown = {}): Promise<RpcResponse> =>
      host.call(nextId++, method, params),
    /** The result of a call that must succeed; the error's words otherwise. */
    async ok<R = Record<string, unknown>>(method: MethodName, params: unknown = {}): Promise<R> {
      const answer = await host.call(nextId++, method, params);
      if (!answer.ok) throw new Error(`${method}: ${answer.error.code}: ${answer.error.message}`);
      return answer.result as R;
    },
    async signIn(member: StaffMember) {
      const answer = await host.call(nextId++, 'session.signIn', { number: member.number, pin: member.pin });
      if (!answer.ok) throw new Error(`sign-in of ${member.number}: ${answer.error.message}`);
    },
    journalCount: () => read((reader) => reader.journal.count()),
    journal: (): LatestJournalEvent[] => read((reader) => journalEvents(reader)),
    /** The payloads of every `event` pushed so far, in order. */
    pushes: <E extends EventName>(event: E): EventPayload<E>[] =>
      pushed
        .filter((message) => message.event === event)
        .map((message) => message.payload as EventPayload<E>),
    async restart() {
      await host.stop();
      host = await start();
    },
    async cleanup() {
      await host.stop();
      fixture.cleanup();
    },
  };
}

export type HostFixture = Awaited<ReturnType<typeof hostFixture>>;
