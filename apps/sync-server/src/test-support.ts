import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HqStreamItem, SseParser } from '@tillwright/protocol';
import { generateTerminalKeyPair, signRequest, type TerminalKeyPair } from '@tillwright/protocol/signing';
import { type AppOptions, buildApp } from './app.js';
import { newSecret, sha256Hex } from './auth/auth.js';
import { DEMO_CATALOG, DEMO_ORG_ID, DEMO_STORE_ID, seedDemo } from './ops/demo-seed.js';
import { PostgresStore } from './store/postgres-store.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { ServerStore, TerminalPrincipal } from './store/store.js';
import { type Backend, takeMigratedDatabase } from './testing/backends.js';
import { FIXED_NOW } from './testing/event-chains.js';

export { BACKENDS, type Backend, postgresTestDatabase, useBackend } from './testing/backends.js';
export {
  chainEventId,
  type EventDraft,
  eventChain,
  FIXED_NOW,
  returnEvent,
  saleChain,
  zonedSaleChain,
} from './testing/event-chains.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
/** The metrics token test servers are started with: `/metrics` answers only with it. */
export const METRICS_TOKEN = 'metrics-token-for-tests';
export const METRICS_HEADERS = { authorization: `Bearer ${METRICS_TOKEN}` };

export interface TestTerminal extends TerminalPrincipal {
  keys: TerminalKeyPair;
}

export interface TestStore {
  store: ServerStore;
  /** Closes the store and removes its file or database. */
  close(): Promise<void>;
}

/** An empty, migrated store: a SQLite file in a temp folder, or a fresh database on the file's PostgreSQL server. */
export async function openTestStore(
  backend: Backend,
  options: { poolSize?: number } = {},
): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-server-'));
    const store = new SqliteStore(join(dir, 'server.sqlite'));
    return {
      store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await takeMigratedDatabase();
  try {
    const store = await PostgresStore.open(database.url, { poolSize: options.poolSize ?? 10 });
    return {
      store,
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The demo admin's password hash, from the first seedDemo of this test file: scrypt is slow by design. */
let adminPasswordHash: string | undefined;

/**
 * What seedDemo seeds, with `codes` as enrolment codes. The first call runs seedDemo itself; later ones write the
 * same rows with its admin password hash, so a test file pays for scrypt once instead of once per test.
 */
async function seedForTests(store: ServerStore, codes: string[], now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + 24 * 3600_000).toISOString();
  if (adminPasswordHash === undefined) {
    await seedDemo(store, { enrolmentCode: codes[0]!, adminPassword: ADMIN_PASSWORD, employees: false }, now);
    adminPasswordHash = (await store.staffByUsername('admin'))?.passwordHash;
  } else {
    await store.createOrg(DEMO_ORG_ID, 'Demo Retail');
    await store.createStore(DEMO_ORG_ID, DEMO_STORE_ID, 'Demo High Street');
    await store.putCatalogProducts(DEMO_ORG_ID, DEMO_CATALOG);
    await store.issueEnrolmentCode(DEMO_ORG_ID, DEMO_STORE_ID, sha256Hex(codes[0]!), expiresAt);
    await store.createStaff({
      staffId: 'demo-admin',
      orgId: DEMO_ORG_ID,
      username: 'admin',
      passwordHash: adminPasswordHash,
      role: 'admin',
    });
  }
  for (const code of codes.slice(1))
    await store.issueEnrolmentCode(DEMO_ORG_ID, DEMO_STORE_ID, sha256Hex(code), expiresAt);
}

export interface TestServerOptions {
  now?: () => Date;
  /** A store to serve instead of a fresh one of the backend (closed with the server). */
  store?: ServerStore;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  terminalRate?: AppOptions['terminalRate'];
  /** Ingest bounds (AppOptions.ingest); every injected request comes from one address. */
  ingest?: AppOptions['ingest'];
  /** Logs at this level into this stream (default: no logs). */
  log?: { level: NonNullable<AppOptions['logLevel']>; stream: NonNullable<AppOptions['logStream']> };
  /** What the server announces it accepts (AppOptions.announcedVersions). */
  announcedVersions?: AppOptions['announcedVersions'];
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/**
 * The app on a fresh, demo-seeded store of `backend` (default SQLite), with three enrolment codes. Also callable as
 * `startTestServer(options)` for SQLite.
 */
export async function startTestServer(
  backendOrOptions: Backend | TestServerOptions = 'sqlite',
  maybeOptions: TestServerOptions = {},
) {
  const backend = typeof backendOrOptions === 'string' ? backendOrOptions : 'sqlite';
  const options = typeof backendOrOptions === 'string' ? maybeOptions : backendOrOptions;
  const opened: TestStore = options.store
    ? { store: options.store, close: () => options.store!.close() }
    : await openTestStore(backend, options.poolSize === undefined ? {} : { poolSize: options.poolSize });
  const store = opened.store;
  const now = options.now ?? (() => FIXED_NOW);
  const codes = ['CODE-AAAA-0001', 'CODE-AAAA-0002', 'CODE-AAAA-0003'];
  await seedForTests(store, codes, now());
  const expiresAt = new Date(now().getTime() + 24 * 3600_000).toISOString();
  const { app, stream } = buildApp({
    store,
    now,
    ...(options.terminalRate ? { terminalRate: options.terminalRate } : {}),
    ...(options.ingest ? { ingest: options.ingest } : {}),
    metricsToken: METRICS_TOKEN,
    ...(options.log ? { logLevel: options.log.level, logStream: options.log.stream } : {}),
    ...(options.announcedVersions ? { announcedVersions: options.announcedVersions } : {}),
  });
  await app.ready();
  const enrol = async (code: string): Promise<TestTerminal> => {
    const keys = generateTerminalKeyPair();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/enrol',
      payload: { code, terminalName: 'Till', publicKey: keys.publicKey },
    });
    if (response.statusCode !== 200) throw new Error(`enrol failed: ${response.body}`);
    return { ...(response.json() as TerminalPrincipal), keys };
  };
  let directCodes = 0;
  /**
   * A terminal enrolled through the store with a fresh code, not through HTTP: for tests that need more terminals
   * than the enrolment route's per-address rate limit allows at a frozen clock.
   */
  const enrolDirect = async (): Promise<TestTerminal> => {
    const codeHash = sha256Hex(`DIRECT-${++directCodes}`);
    await store.issueEnrolmentCode(DEMO_ORG_ID, DEMO_STORE_ID, codeHash, expiresAt);
    const keys = generateTerminalKeyPair();
    const principal = await store.enrolTerminal({
      codeHash,
      terminalName: `Till ${directCodes}`,
      publicKey: keys.publicKey,
      now: now().toISOString(),
    });
    return { ...principal, keys };
  };
  /** A request signed by the terminal's key, exactly as the terminal's sync client sends it. */
  const signed = (terminal: TestTerminal, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = signRequest(
      { method, pathWithQuery: url, body },
      terminal.terminalId,
      terminal.keys.privateKeyPem,
      now().getTime(),
    );
    return app.inject({
      method,
      url,
      headers: { authorization, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: body }),
    });
  };
  const push = (terminal: TestTerminal, events: unknown[], epoch = terminal.epoch) =>
    signed(terminal, 'POST', '/v1/journal/batches', { epoch, events });
  let session: string | null = null;
  /**
   * An HQ admin session token for the demo org, made the way the sign-in route makes one but without checking the
   * password again (scrypt is slow by design; the sign-in route has tests of its own).
   */
  const hqToken = async (): Promise<string> => {
    if (session) return session;
    const token = newSecret();
    const admin = await store.staffByUsername('admin');
    if (!admin) throw new Error('the demo admin is missing');
    await store.createSession(
      sha256Hex(token),
      admin.staffId,
      new Date(now().getTime() + 12 * 3600_000).toISOString(),
    );
    session = token;
    return session;
  };
  /** A GET of an HQ route as the demo admin, answered as JSON. */
  const hqGet = async (path: string) =>
    (
      await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${await hqToken()}` } })
    ).json();
  return {
    backend,
    app,
    /** The app's HQ stream hub: `stream.size` is the number of consumers attached. */
    stream,
    store,
    codes,
    enrol,
    enrolDirect,
    signed,
    push,
    hqToken,
    hqGet,
    orgId: DEMO_ORG_ID,
    storeId: DEMO_STORE_ID,
    close: async () => {
      await app.close();
      await opened.close();
    },
  };
}

/** Batches held inside a store's ingest until `open()`, so a bound fills deterministically. */
export interface HeldIngest {
  /** Batches that have reached the store's ingest (and wait there until open). */
  readonly inside: number;
  open(): void;
}

/** Makes every batch wait inside `store.ingest` until `open()` is called (after which none waits). */
export function holdIngest(store: ServerStore): HeldIngest {
  const ingest = store.ingest.bind(store);
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const held = { inside: 0, open: () => open() };
  store.ingest = async (...args) => {
    held.inside += 1;
    await gate;
    return ingest(...args);
  };
  return held;
}

/**
 * Resolves once `condition()` holds, checking every few milliseconds: for state the server changes on its own time
 * (a place taken, a stream blocked, a connection counted). Throws, naming `what`, if it does not hold within 20 s.
 */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Follows the HQ stream over a real socket (the app must be listening at `baseUrl`) until `count` items arrived or
 * `timeoutMs` passed, and returns the first `count` of what arrived. Throws if a frame's id is not its item's
 * offset. `onItem` sees each item as it arrives, with how many arrived so far.
 */
export async function followStream(
  baseUrl: string,
  token: string,
  options: {
    count: number;
    lastEventId?: number;
    timeoutMs?: number;
    onItem?: (item: HqStreamItem, received: number) => void;
  },
): Promise<HqStreamItem[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  const items: HqStreamItem[] = [];
  try {
    const response = await fetch(`${baseUrl}/v1/hq/stream`, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.lastEventId === undefined ? {} : { 'last-event-id': String(options.lastEventId) }),
      },
      signal: controller.signal,
    });
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream'))
      throw new Error(`not an event stream: ${response.status} ${type}`);
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      for (const frame of parser.push(decoder.decode(chunk, { stream: true }))) {
        const item = JSON.parse(frame.data) as HqStreamItem;
        if (frame.id !== String(item.offset))
          throw new Error(`frame id ${frame.id} is not offset ${item.offset}`);
        items.push(item);
        options.onItem?.(item, items.length);
      }
      if (items.length >= options.count) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return items.slice(0, options.count);
}
