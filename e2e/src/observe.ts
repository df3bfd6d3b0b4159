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
