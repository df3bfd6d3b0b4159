import type { HqEventsPage, JournalEvent } from '@tillwright/protocol';
import { DEMO_EMPLOYEES } from '@tillwright/sync-server';
import Database from 'better-sqlite3';
import { openHostSocket } from './host-socket.js';
import { eventually } from './processes.js';

export interface HostAnswer {
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** Sends one renderer-contract call to a terminal host over its real WebSocket, as its own page would. */
export async function callHost(terminalUrl: string, method: string, params: unknown): Promise<HostAnswer> {
  const ws = await openHostSocket(terminalUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const answer = new Promise<HostAnswer>((resolve) =>
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.kind === 'response' && message.id === 1) resolve(message);
    }),
  );
  ws.send(JSON.stringify({ id: 1, method, params }));
  try {
    return await answer;
  } finally {
    ws.close();
  }
}

/** Reads a terminal's journal straight from its SQLite file, read-only, while the host keeps writing. */
export function journalEvents(ledgerPath: string): JournalEvent[] {
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT body FROM journal ORDER BY epoch, seq').all() as { body: string }[]).map(
      (row) => JSON.parse(row.body) as JournalEvent,
    );
  } finally {
    db.close();
  }
}

/** Everything the server has stored, through HQ's paged REST read. */
export async function serverEvents(serverUrl: string, hqToken: string): Promise<HqEventsPage['items']> {
  const response = await fetch(`${serverUrl}/v1/hq/events?after=0&limit=1000`, {
    headers: { authorization: `Bearer ${hqToken}` },
  });
  if (response.status !== 200)
    throw new Error(`HQ events refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as HqEventsPage).items;
}

/** Everything the server has stored, every page of it, in stream order (duplicates included, if any). */
export async function allServerEvents(serverUrl: string, hqToken: string): Promise<HqEventsPage['items']> {
  const items: HqEventsPage['items'] = [];
  for (let after = 0; ; ) {
    const response = await fetch(`${serverUrl}/v1/hq/events?after=${after}&limit=1000`, {
      headers: { authorization: `Bearer ${hqToken}` },
    });
    if (response.status === 429) {
      // A test polling faster than HQ's rate limit: wait as told, like any well-behaved client.
      await new Promise((resolve) =>
        setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000),
      );
      continue;
    }
    if (response.status !== 200)
      throw new Error(`HQ events refused: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as HqEventsPage;
    if (page.items.length === 0) return items;
    items.push(...page.items);
    after = page.nextOffset;
  }
}

/** Signs in as the demo HQ admin and returns the session token. */
export async function hqSession(serverUrl: string, password: string): Promise<string> {
  const response = await fetch(`${serverUrl}/v1/hq/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (response.status !== 200)
    throw new Error(`HQ sign-in refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * Waits until a terminal host offers this employee number at sign-in (its feed pull brought them; a sign-in before
 * that would count a wrong PIN against the number).
 */
export async function tillKnowsEmployee(terminalUrl: string, number: string): Promise<void> {
  await eventually(async () => {
    const listed = await callHost(terminalUrl, 'session.employees', {});
    const employees = (listed.result?.employees ?? []) as { number: string }[];
    return employees.some((e) => e.number === number) ? true : undefined;
  }, `employee ${number} at the till`);
}

/**
 * Signs a demo employee in at a terminal host over RPC, as a person at the till would: once the till knows them,
 * number and PIN. A host remembers nobody across a restart: sign in again after each start.
 */
export async function signInAtTill(
  terminalUrl: string,
  employee: { number: string; pin: string } = DEMO_EMPLOYEES[0],
): Promise<void> {
  await tillKnowsEmployee(terminalUrl, employee.number);
  const answer = await callHost(terminalUrl, 'session.signIn', {
    number: employee.number,
    pin: employee.pin,
  });
  if (!answer.ok) throw new Error(`sign-in of ${employee.number} refused: ${JSON.stringify(answer.error)}`);
}

type Credentials = { number: string; pin: string };
export type DenominationCount = { value: number; count: number }[];

/** The open shift as `shift.status` shows it (the contract's ShiftView, the fields the tests read). */
export interface OpenShift {
  shiftId: string;
  openingFloat: number;
  currency: string;
  openedBy: { employeeId: string; displayName: string };
}

/** One host call that must succeed: its result, or a failure naming the method and the host's error. */
async function hostResult<T>(terminalUrl: string, method: string, params: unknown): Promise<T> {
  const answer = await callHost(terminalUrl, method, params);
  if (!answer.ok) throw new Error(`${method} refused: ${JSON.stringify(answer.error)}`);
  return answer.result as T;
}

/** A small opening float: five of the currency's smallest note and two of the next (EUR: 5 × 5.00 + 2 × 10.00). */
export function smallFloat(denominations: { value: number; kind: 'note' | 'coin' }[]): DenominationCount {
  const notes = denominations
    .filter((d) => d.kind === 'note')
    .map((d) => d.value)
    .sort((a, b) => a - b);
  if (notes.length < 2)
    throw new Error(`the till offers too few notes for a float: ${JSON.stringify(denominations)}`);
  return [
    { value: notes[0]!, count: 5 },
    { value: notes[1]!, count: 2 },
  ];
}

/**
 * Makes sure the till has an open shift, as a manager at the till would open it (a till sells only inside one,
 * decision 0015): the opener (default the demo manager) signs in over RPC and counts a small float; then whoever was
 * signed in before is signed back in (a demo employee: their PIN is known), nobody stays nobody, a locked screen is
 * locked again, unless `then` names who works next ('opener' leaves the opener signed in). With a shift already
 * open, nothing is journaled but the `then` sign-in. Answers the open shift.
 */
export async function openShiftAtTill(
  terminalUrl: string,
  options: { opener?: Credentials; then?: Credentials | 'opener'; floatCount?: DenominationCount } = {},
): Promise<OpenShift> {
  const opener = options.opener ?? DEMO_EMPLOYEES[2];
  const status = await hostResult<{
    shift: OpenShift | null;
    denominations: { value: number; kind: 'note' | 'coin' }[];
  }>(terminalUrl, 'shift.status', {});
  if (status.shift) {
    if (options.then) await signInAtTill(terminalUrl, options.then === 'opener' ? opener : options.then);
    return status.shift;
  }
  const before = await hostResult<{
    state: 'signed-out' | 'signed-in' | 'locked';
    employee: Credentials | null;
  }>(terminalUrl, 'session.status', {});
  // Decided before anything changes, so an employee whose PIN is unknown fails the call with the till untouched.
  const then = options.then === 'opener' ? opener : (options.then ?? demoEmployeeOrNobody(before.employee));
  if (before.state !== 'signed-in' || before.employee?.number !== opener.number)
    await signInAtTill(terminalUrl, opener);
  const opened = await hostResult<{ shift: OpenShift | null }>(terminalUrl, 'shift.open', {
    floatCount: options.floatCount ?? smallFloat(status.denominations),
  });
  if (!opened.shift) throw new Error(`shift.open answered no open shift: ${JSON.stringify(opened)}`);
  if (then === 'nobody') await hostResult(terminalUrl, 'session.signOut', {});
  else if (then.number !== opener.number) await signInAtTill(terminalUrl, then);
  if (before.state === 'locked' && options.then === undefined)
    await hostResult(terminalUrl, 'session.lock', {});
  return opened.shift;
}

/** Who was signed in, with the PIN the demo seed gave them; a test's own employees must be named with `then`. */
function demoEmployeeOrNobody(employee: { number: string } | null): Credentials | 'nobody' {
  if (employee === null) return 'nobody';
  const known = DEMO_EMPLOYEES.find((e) => e.number === employee.number);
  if (!known)
    throw new Error(
      `employee ${employee.number} is signed in and is no demo employee: say who works once the shift is open (then)`,
    );
  return known;
}
