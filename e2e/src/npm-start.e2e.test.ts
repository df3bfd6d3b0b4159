import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHost, hqSession, openShiftAtTill, serverEvents, signInAtTill } from './observe.js';
import { eventually, repoRoot } from './processes.js';

const ADMIN_PASSWORD = 'npm-start-admin-password';

let dataDir: string;
let start: ChildProcess;
let output = '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillwright-npm-start-'));
  const [server, printer, terminal] = [await freePort(), await freePort(), await freePort()];
  start = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TILLWRIGHT_DATA_DIR: dataDir,
      TILLWRIGHT_SERVER_PORT: String(server),
      TILLWRIGHT_PRINTER_PORT: String(printer),
      TILLWRIGHT_TERMINAL_PORT: String(terminal),
      TILLWRIGHT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  start.stdout!.on('data', collect);
  start.stderr!.on('data', collect);
  await eventually(
    () => {
      if (start.exitCode !== null) throw new Error(`npm start exited ${start.exitCode}:\n${output}`);
      return /Press Ctrl-C to stop/.test(output) && /\[terminal\].*enrolled as/.test(output)
        ? true
        : undefined;
    },
    `npm start to be up and the terminal enrolled:\n${output}`,
    60_000,
  );
});

afterAll(async () => {
  if (start && start.exitCode === null && start.signalCode === null) {
    const exited = new Promise((resolve) => start.once('exit', resolve));
    start.kill('SIGINT');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every process below `pid` with its command line, as any user of the machine can read them (ps, /proc/PID/cmdline). */
function descendantCommandLines(pid: number): string[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name before it may hold spaces, so split after ')'.
      const afterName = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!;
      parentOf.set(Number(entry), Number(afterName.split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, itsParent] of parentOf) {
      if (itsParent === parent) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found.map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' '));
}

const printedCode = () => /demo seeded: enrolment code (\S+?),? /.exec(output)?.[1];

describe('npm start', () => {
  it('prints a fresh random enrolment code, not a fixed one anybody could look up', () => {
    expect(printedCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
    expect(output).toMatch(new RegExp(`Enrolment code:\\s+${printedCode()}`));
  });

  it('prints the demo employees with their numbers and PINs, so a person can sign in at the till', () => {
    expect(output).toMatch(/Till sign-in \(number \/ PIN\):\s+1001 \/ 1357 {2}Alex Cashier \(cashier\)/);
    expect(output).toMatch(/^\s+2001 \/ 2468 {2}Sam Supervisor \(supervisor\)$/m);
    expect(output).toMatch(/^\s+3001 \/ 3579 {2}Morgan Manager \(manager\)$/m);
    // The demo till starts with no shift: the banner says who opens it, and how.
    expect(output).toMatch(
      /Before the first sale:\s+the till sells only in an open shift: sign in as the manager \(3001 \/ 3579\),\s+press F12 → Open shift/,
    );
  });

  it('puts neither the enrolment code nor the admin password on any command line, where every user can read them', () => {
    const code = printedCode();
    expect(code).toBeTruthy();
    const commandLines = descendantCommandLines(start.pid!);
    expect(commandLines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('sync-server/dist/cli.js'),
        expect.stringContaining('terminal/dist/host/cli.js'),
      ]),
    );
    for (const commandLine of commandLines) {
      expect(commandLine).not.toContain(ADMIN_PASSWORD);
      expect(commandLine).not.toContain(code!);
    }
  });
});

describe('npm start when the sync server stops', () => {
  it('keeps the till and the printer running, selling offline, and starts the server again on r + Enter', async () => {
    const terminalUrl = /Terminal \(open in a browser\):\s+(\S+)/.exec(output)![1]!;
    const serverUrl = /Sync server health:\s+(\S+)\/healthz/.exec(output)![1]!;
    const serverPid = Number(/Sync server:\s+pid (\d+)/.exec(output)![1]);
    await eventually(
      async () =>
        (await callHost(terminalUrl, 'catalog.lookup', { barcode: '4006381333931' })).result
          ? true
          : undefined,
      'the catalog on the till',
    );
    // Nothing is sold with nobody signed in: the cashier signs in while the till is online (its feed brought them).
    // The demo till starts with no shift: the manager opens it (as the README tells a person to), the cashier sells.
    await signInAtTill(terminalUrl);
    const shift = await openShiftAtTill(terminalUrl);
    process.kill(serverPid, 'SIGKILL');
    await eventually(() => (/\[server\] stopped/.test(output) ? true : undefined), 'the server stop noticed');
    expect(output).toContain('Type r and Enter to start the server again');
    expect(start.exitCode).toBeNull();
    const running = descendantCommandLines(start.pid!);
    expect(running).toEqual(
      expect.arrayContaining([
        expect.stringContaining('terminal/dist/host/cli.js'),
        expect.stringContaining('printer-emulator-cli.js'),
      ]),
    );
    expect(running.some((line) => line.includes('sync-server/dist/cli.js'))).toBe(false);

    const saleId = '019ab8a0-0000-7000-8000-00000000057a';
    const sold = await callHost(terminalUrl, 'sale.complete', {
      saleId,
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(sold).toMatchObject({ ok: true });

    start.stdin!.write('r\n');
    await eventually(
      () => (/\[server\] started again/.test(output) ? true : undefined),
      'the server restarted',
    );
    const hq = await hqSession(serverUrl, ADMIN_PASSWORD);
    const atHq = await eventually(
      async () => (await serverEvents(serverUrl, hq)).find((item) => item.event.eventId === saleId),
      'the offline sale at HQ',
    );
    expect(atHq.event).toMatchObject({
      schema: 6,
      payload: {
        employeeId: 'demo-alex',
        shiftId: shift.shiftId,
        receiptNumber: expect.stringMatching(/-1-\d{6}$/),
      },
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}
