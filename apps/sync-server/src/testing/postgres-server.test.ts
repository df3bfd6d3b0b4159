import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  findPostgresBinDir,
  PostgresNotInstalledError,
  startPostgres,
} from './postgres-server.js';

const SLOW = 60_000;

/** Resolves with the connect error's code, or 'open' when something accepted the connection. */
function probe(port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
  });
}

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  it(
    'starts a real server that answers queries, and stop() closes the port and removes the folder',
    async () => {
      const server = await startPostgres();
      try {
        expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/tillwright_test`);
        const [row] = await query<{ db: string; sum: number; version: string; fsync: string }>(
          server.url,
          "SELECT current_database() AS db, $1::int + 1 AS sum, current_setting('server_version_num') AS version, current_setting('fsync') AS fsync",
          [41],
        );
        expect(row).toMatchObject({ db: 'tillwright_test', sum: 42, fsync: 'on' });
        expect(Number(row!.version)).toBeGreaterThanOrEqual(130000);
        await query(server.url, 'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)');
        await query(server.url, 'INSERT INTO t VALUES (1, $1)', ['café ☕']);
        expect(await query(server.url, 'SELECT name FROM t')).toEqual([{ name: 'café ☕' }]);
        expect(await probe(server.port)).toBe('open');
        expect(existsSync(server.dir)).toBe(true);
      } finally {
        await server.stop();
      }
      expect(await probe(server.port)).toBe('ECONNREFUSED');
      expect(existsSync(server.dir)).toBe(false);
      await server.stop(); // a second stop is harmless
    },
    SLOW,
  );

  it(
    'runs two servers at once on different ports, each with its own data',
    async () => {
      const [a, b] = await Promise.all([startPostgres(), startPostgres({ database: 'second' })]);
      try {
        expect(a.port).not.toBe(b.port);
        expect(a.dir).not.toBe(b.dir);
        await query(a.url, 'CREATE TABLE only_in_a (x int)');
        const tables = async (url: string) =>
          (
            await query<{ tablename: string }>(
              url,
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
            )
          ).map((r) => r.tablename);
        expect(await tables(a.url)).toEqual(['only_in_a']);
        expect(await tables(b.url)).toEqual([]);
        expect((await query<{ db: string }>(b.url, 'SELECT current_database() AS db'))[0]!.db).toBe('second');
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      expect(await probe(a.port)).toBe('ECONNREFUSED');
      expect(await probe(b.port)).toBe('ECONNREFUSED');
      expect(existsSync(a.dir) || existsSync(b.dir)).toBe(false);
    },
    SLOW,
  );

  it(
    'stop() cleans up a server that already died',
    async () => {
      const server = await startPostgres();
      const pid = Number(readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && (await probe(server.port)) === 'open'; i++) {
        await new Promise((wake) => setTimeout(wake, 20));
      }
      await server.stop();
      expect(await probe(server.port)).toBe('ECONNREFUSED');
      expect(existsSync(server.dir)).toBe(false);
    },
    SLOW,
  );

  it(
    'removes temp folders left by killed processes when it starts, and honours tempRoot',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'pg-root-'));
      chmodSync(root, 0o755); // the postgres OS user must get through it when tests run as root
      try {
        const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
        const stale = join(root, 'tillwright-pg-stale1');
        const settingUp = join(root, 'tillwright-pg-new123'); // no owner file yet: another process's, starting
        mkdirSync(join(stale, 'data'), { recursive: true });
        writeFileSync(join(stale, 'owner.pid'), String(gone));
        mkdirSync(settingUp);
        const server = await startPostgres({ tempRoot: root, settings: { max_connections: 17 } });
        try {
          expect(server.dir.startsWith(`${root}/tillwright-pg-`)).toBe(true);
          expect(existsSync(stale)).toBe(false);
          expect(existsSync(settingUp)).toBe(true);
          const [row] = await query<{ max: string }>(
            server.url,
            "SELECT current_setting('max_connections') AS max",
          );
          expect(row!.max).toBe('17');
        } finally {
          await server.stop();
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it.runIf(process.getuid?.() === 0)(
    'says so when the postgres OS user cannot reach the temp folder',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'pg-root-')); // 0700, owned by root
      try {
        await expect(startPostgres({ tempRoot: root })).rejects.toThrow(/cannot reach/);
        expect(readdirSync(root)).toEqual([]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  it('names the fix when the binaries are missing', () => {
    expect(() => findPostgresBinDir({ PG_BIN: '/nonexistent' })).toThrow(PostgresNotInstalledError);
    expect(() => findPostgresBinDir({ PG_BIN: '/nonexistent' })).toThrow(/PG_BIN/);
    return expect(startPostgres({ binDir: '/nonexistent' })).rejects.toThrow(/ensure-test-deps\.mjs/);
  });
});

describe('createTestDatabase', () => {
  it(
    'creates a database with a unique name and drops it even with a connection open',
    async () => {
      const server = await startPostgres();
      try {
        const [one, two] = await Promise.all([
          createTestDatabase(server.url),
          createTestDatabase(server.url),
        ]);
        expect(one.name).not.toBe(two.name);
        expect(one.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/${one.name}`);
        await query(one.url, 'CREATE TABLE t (x int)');
        expect(await query(two.url, "SELECT 1 FROM pg_tables WHERE tablename = 't'")).toEqual([]);

        const held = new Client({ connectionString: one.url });
        held.on('error', () => {}); // the forced drop terminates it
        await held.connect();
        await one.drop();
        await one.drop(); // harmless twice
        await two.drop();
        const left = await query<{ datname: string }>(
          server.url,
          'SELECT datname FROM pg_database WHERE datname = ANY($1)',
          [[one.name, two.name]],
        );
        expect(left).toEqual([]);
        await held.end().catch(() => {});
      } finally {
        await server.stop();
      }
    },
    SLOW,
  );
});
