/**
 * A real, throwaway PostgreSQL server for tests (never a mock).
 *
 * How suites use it: start one server per test file in `beforeAll` (`const pg = await startPostgres()`), stop
 * it in `afterAll` (`await pg.stop()`), and give each test its own database with
 * `createTestDatabase(pg.url)` in `beforeEach`, dropping it in `afterEach`. A server costs about a second to
 * start (initdb included); a database one or two tenths of a second, so a fresh database per test is the
 * intended pattern, not a fresh server. Give `beforeAll` a generous timeout (e.g. 60 s): CI may be slower.
 * The server binaries come from `PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin`, else
 * `pg_config --bindir`; `node scripts/ensure-test-deps.mjs` installs Debian's `postgresql` when none is found.
 * As root the server runs as the `postgres` OS user (initdb refuses root) in a temp folder that user owns. It
 * listens on 127.0.0.1 only, on a free port, with its unix socket in that temp folder and trust auth for local
 * and 127.0.0.1 connections only. `fsync` is left at its default (on) so tests see the real commit path;
 * durability itself is measured elsewhere. Only `initdb --no-sync` is used, which skips flushing the fresh
 * cluster's files and is safe for a folder thrown away after the run. The postmaster is this process's own
 * child, started through `setpriv --pdeathsig INT`: if the test process dies however it dies, the server gets
 * a fast-shutdown request; at a normal exit a server never stopped is stopped and its folder removed, and a
 * later start removes folders left by killed processes.
 */
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client, escapeIdentifier } from 'pg';

export interface StartPostgresOptions {
  /** Folder holding initdb, pg_ctl and postgres; overrides `PG_BIN` and the search. */
  binDir?: string;
  /** Name of the database created for the caller; `url` points at it. Default `tillwright_test`. */
  database?: string;
  /** Extra server settings written to postgresql.conf, e.g. `{ max_connections: 50 }`. */
  settings?: Record<string, string | number | boolean>;
  /** Folder the temp folder is made in. Default `os.tmpdir()`; as root it must be searchable by `postgres`. */
  tempRoot?: string;
  /** Limit for each step (initdb, start, first connection). Default 60 s. */
  timeoutMs?: number;
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`; the user is the superuser, trust auth, no password. */
  url: string;
  host: '127.0.0.1';
  port: number;
  database: string;
  /** The temp folder: `data/` (the cluster), `postgres.log`, and the unix socket. */
  dir: string;
  logFile: string;
  /** `pg_ctl stop -m fast`, waits, removes `dir`. Works if the server already died; calling it twice is fine. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  /** The admin URL with its database swapped for the new one. */
  url: string;
  name: string;
  /** `DROP DATABASE … WITH (FORCE)`: ends open connections to it. Calling it twice is fine. */
  drop(): Promise<void>;
}

/** No PostgreSQL server binaries (initdb, pg_ctl, postgres) could be found, or they cannot be run as needed. */
export class PostgresNotInstalledError extends Error {
  override readonly name = 'PostgresNotInstalledError';
}

/** A step of running the server failed; `log` holds the tool's output and the server log's tail. */
export class PostgresServerError extends Error {
  override readonly name = 'PostgresServerError';
  constructor(
    message: string,
    readonly step: 'prepare' | 'initdb' | 'start' | 'connect' | 'stop',
    readonly log: string,
  ) {
    super(log ? `${message}\n${log}` : message);
  }
}

const INSTALL_HINT =
  "run `node scripts/ensure-test-deps.mjs` (as root it installs Debian's postgresql), or set PG_BIN to the " +
  'folder holding initdb, pg_ctl and postgres';
const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'] as const;
const DEFAULT_TIMEOUT_MS = 60_000;
const SUPERUSER = 'postgres';
const HOST = '127.0.0.1';

const hasServerPrograms = (dir: string) => SERVER_PROGRAMS.every((name) => existsSync(join(dir, name)));

/** Finds the folder of the PostgreSQL server binaries: PG_BIN, the newest /usr/lib/postgresql/*\/bin, pg_config. */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PG_BIN;
  if (fromEnv) {
    if (hasServerPrograms(fromEnv)) return resolve(fromEnv);
    throw new PostgresNotInstalledError(
      `PG_BIN=${fromEnv} lacks one of ${SERVER_PROGRAMS.join(', ')}: fix PG_BIN or unset it`,
    );
  }
  const debianRoot = '/usr/lib/postgresql';
  const versions = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((name) => /^\d+(\.\d+)?$/.test(name) && hasServerPrograms(join(debianRoot, name, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(debianRoot, versions[0], 'bin');
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const bindir = fromPgConfig.status === 0 ? fromPgConfig.stdout.trim() : '';
  if (bindir && hasServerPrograms(bindir)) return bindir;
  throw new PostgresNotInstalledError(
    `PostgreSQL server binaries (${SERVER_PROGRAMS.join(', ')}) not found in PG_BIN, ` +
      `/usr/lib/postgresql/*/bin or \`pg_config --bindir\`: ${INSTALL_HINT}`,
  );
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** initdb refuses to run as root: then every server program runs as the `postgres` OS user. */
function serverUser(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag: string) => {
    try {
      return Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8', stdio: 'pipe' }).trim());
    } catch {
      throw new PostgresNotInstalledError(
        `running as root, but there is no \`${SUPERUSER}\` OS user to run the server as: ${INSTALL_HINT}`,
      );
    }
  };
  return { uid: id('-u'), gid: id('-g') };
}

/** The environment for server programs: ours less PG* variables (PGDATA, PGPORT… would override flags). */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  env.LC_ALL = 'C';
  return env;
}

interface RunResult {
  code: number;
  output: string;
}

function run(
  program: string,
  args: string[],
  options: { as: RunAs; cwd: string; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      program,
      args,
      {
        cwd: options.cwd,
        env: serverEnv(),
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        ...options.as,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (!error) return done({ code: 0, output });
        const code = typeof error.code === 'number' ? error.code : -1;
        const why = error.killed
          ? `killed after ${options.timeoutMs} ms`
          : error.code === 'ENOENT'
            ? 'not found'
            : '';
        done({ code, output: why ? `${output}\n(${program}: ${why})`.trim() : output });
      },
    );
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? done(port) : fail(new Error('no free port'))));
    });
  });
}

/** As root, every folder above `dir` must let `postgres` through (a TMPDIR under /root would not). */
function checkReachable(dir: string, as: RunAs): void {
  if (as.uid === undefined) return;
  for (let at = dirname(dir); ; at = dirname(at)) {
    const { mode, uid, gid } = statSync(at);
    const through = uid === as.uid ? mode & 0o100 : gid === as.gid ? mode & 0o010 : mode & 0o001;
    if (!through) {
      throw new PostgresServerError(
        `the ${SUPERUSER} OS user cannot reach ${dir}: ${at} is not searchable by it; pass tempRoot or set ` +
          'TMPDIR to a folder such as /tmp',
        'prepare',
        '',
      );
    }
    if (dirname(at) === at) return;
  }
}

const confValue = (value: string | number | boolean) =>
  typeof value === 'string' ? `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'` : String(value);

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/** `setpriv` (util-linux) sets the parent-death signal and, as root, the user, then execs the postmaster. */
let setprivAvailable: boolean | undefined;
const hasSetpriv = () => {
  setprivAvailable ??= spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
  return setprivAvailable;
};

interface Live {
  pgCtl: string;
  dataDir: string;
  dir: string;
  as: RunAs;
  postmaster?: ChildProcess;
}

/** Exited, or never started (a failed spawn leaves no pid). */
const exited = (child: ChildProcess) =>
  child.pid === undefined || child.exitCode !== null || child.signalCode !== null;

/** Resolves true once `child` has exited, false after `ms` (the timer keeps the process alive meanwhile). */
function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      done(exited(child));
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      done(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Runs the postmaster as our own child, not through `pg_ctl start` (which detaches it): we see at once if it
 * dies, we reap it (a killed, detached postmaster stays a zombie that `pg_ctl` counts as running until PID 1
 * reaps it), and with `setpriv --pdeathsig INT` it gets a fast-shutdown request when this process (the thread
 * that started it) ends, however it ends, so a killed test worker leaves no server behind.
 */
function spawnPostmaster(binDir: string, server: Live, port: number, logFile: string): ChildProcess {
  const postgresArgs = [join(binDir, 'postgres'), '-D', server.dataDir, '-p', String(port)];
  const { uid, gid } = server.as;
  const asArgs =
    uid !== undefined && gid !== undefined ? [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups'] : [];
  const log = openSync(logFile, 'a');
  try {
    const viaSetpriv = hasSetpriv();
    const child = spawn(
      viaSetpriv ? 'setpriv' : postgresArgs[0]!,
      viaSetpriv ? [...asArgs, '--pdeathsig', 'INT', '--', ...postgresArgs] : postgresArgs.slice(1),
      { cwd: server.dir, env: serverEnv(), stdio: ['ignore', log, log], ...(viaSetpriv ? {} : server.as) },
    );
    child.on('error', () => {}); // reported through the exit code and the log
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

/** Waits until the server accepts a connection; false if it exited first (the log says why). */
async function waitUntilReady(child: ChildProcess, url: string, deadline: number): Promise<boolean> {
  for (;;) {
    if (exited(child)) return false;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await sleep(exited(child) ? 0 : 50);
    }
  }
}

/** Servers not yet stopped: stopped at a normal process exit, so a forgotten `stop()` leaves no folder. */
const live = new Set<Live>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const server of live) {
      if (server.postmaster && !exited(server.postmaster)) {
        spawnSync(server.pgCtl, ['stop', '-D', server.dataDir, '-m', 'immediate', '-w', '-t', '10'], {
          cwd: server.dir,
          env: serverEnv(),
          stdio: 'ignore',
          ...server.as,
        });
      }
      rmSync(server.dir, { recursive: true, force: true });
    }
  });
}

const OWNER_FILE = 'owner.pid';
const TEMP_PREFIX = 'tillwright-pg-';

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the temp folders of earlier runs whose process was killed (no exit hook ran): those whose owner
 * process and postmaster are both gone. Folders still being set up (no owner file yet) are left alone.
 */
function sweepStaleFolders(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(TEMP_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(root, name);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (!owner || owner === process.pid || processAlive(owner)) continue;
      const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (postmaster && processAlive(postmaster)) continue;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') continue;
      if (!existsSync(join(dir, OWNER_FILE))) continue;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a fresh PostgreSQL server in a temp folder and creates a database for the caller. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!hasServerPrograms(binDir)) {
    throw new PostgresNotInstalledError(
      `${binDir} lacks one of ${SERVER_PROGRAMS.join(', ')}: ${INSTALL_HINT}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const database = options.database ?? 'tillwright_test';
  const as = serverUser();
  const tempRoot = options.tempRoot ?? tmpdir();
  sweepStaleFolders(tempRoot);
  const dir = mkdtempSync(join(tempRoot, TEMP_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const server: Live = { pgCtl: join(binDir, 'pg_ctl'), dataDir, dir, as };
  const runOpts = { as, cwd: dir, timeoutMs };
  installExitHook();
  live.add(server);

  try {
    // The socket path `<dir>/.s.PGSQL.<port>` must fit in sockaddr_un (107 bytes on Linux).
    if (Buffer.byteLength(join(dir, '.s.PGSQL.65535')) > 107) {
      throw new PostgresServerError(
        `temp folder path too long for a unix socket: ${dir}; pass tempRoot`,
        'prepare',
        '',
      );
    }
    checkReachable(dir, as);
    if (as.uid !== undefined && as.gid !== undefined) {
      execFileSync('chown', [`${as.uid}:${as.gid}`, dir]);
    }

    const initdb = await run(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        SUPERUSER,
        '-E',
        'UTF8',
        '--no-locale',
        '--auth-local=trust',
        '--auth-host=trust',
        '--no-sync',
      ],
      runOpts,
    );
    if (initdb.code !== 0) throw new PostgresServerError('initdb failed', 'initdb', initdb.output);

    // Trust for the unix socket and 127.0.0.1 only (initdb's default also trusts ::1 and replication).
    writeFileSync(
      join(dataDir, 'pg_hba.conf'),
      '# written by startPostgres (tests)\nlocal all all trust\nhost all all 127.0.0.1/32 trust\n',
    );
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: HOST,
      unix_socket_directories: dir,
      ...options.settings,
    };
    const conf = Object.entries(settings)
      .map(([key, value]) => `${key} = ${confValue(value)}\n`)
      .join('');
    writeFileSync(join(dataDir, 'postgresql.conf'), `\n# startPostgres (tests)\n${conf}`, { flag: 'a' });
    if (as.uid !== undefined && as.gid !== undefined) {
      execFileSync('chown', [
        `${as.uid}:${as.gid}`,
        join(dataDir, 'pg_hba.conf'),
        join(dataDir, 'postgresql.conf'),
      ]);
    }

    // The port is picked free and then bound by the server: another process may take it in between, so a
    // start that fails with "Address already in use" is retried on a new port.
    let port = 0;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      server.postmaster = spawnPostmaster(binDir, server, port, logFile);
      const adminUrl = `postgres://${SUPERUSER}@${HOST}:${port}/postgres`;
      let ready: boolean;
      try {
        ready = await waitUntilReady(server.postmaster, adminUrl, deadline);
      } catch (error) {
        throw new PostgresServerError(
          `the PostgreSQL server did not accept connections at ${adminUrl} within ${timeoutMs} ms: ` +
            (error as Error).message,
          'connect',
          tail(logFile),
        );
      }
      if (ready) break;
      await exitWithin(server.postmaster, 5_000);
      const log = tail(logFile);
      if (attempt < 5 && /address already in use|could not bind/i.test(log)) continue;
      const { exitCode, signalCode } = server.postmaster;
      throw new PostgresServerError(
        `the PostgreSQL server exited while starting (port ${port}, ${signalCode ?? `exit code ${exitCode}`})`,
        'start',
        `--- ${logFile} ---\n${log}`,
      );
    }

    const client = new Client({ connectionString: `postgres://${SUPERUSER}@${HOST}:${port}/postgres` });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }

    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://${SUPERUSER}@${HOST}:${port}/${encodeURIComponent(database)}`,
      host: HOST,
      port,
      database,
      dir,
      logFile,
      stop: () => {
        stopping ??= stopServer(server, runOpts, logFile);
        return stopping;
      },
    };
  } catch (error) {
    await stopServer(server, runOpts, logFile).catch(() => {});
    throw error;
  }
}

async function stopServer(server: Live, runOpts: Parameters<typeof run>[2], logFile: string): Promise<void> {
  const child = server.postmaster;
  // A server that already died (crash, SIGKILL) has nothing to stop: only its folder goes.
  if (child && !exited(child)) {
    const fast = await run(
      server.pgCtl,
      ['stop', '-D', server.dataDir, '-m', 'fast', '-w', '-t', '30'],
      runOpts,
    );
    if (!(await exitWithin(child, fast.code === 0 ? 10_000 : 1_000))) {
      child.kill('SIGQUIT'); // what `pg_ctl stop -m immediate` sends
      if (!(await exitWithin(child, 5_000))) {
        child.kill('SIGKILL');
        if (!(await exitWithin(child, 5_000))) {
          throw new PostgresServerError(
            `the PostgreSQL server in ${server.dataDir} (pid ${child.pid}) did not stop`,
            'stop',
            `pg_ctl stop -m fast: ${fast.output}\n--- ${logFile} ---\n${tail(logFile)}`,
          );
        }
      }
    }
  }
  live.delete(server);
  rmSync(server.dir, { recursive: true, force: true });
}

/**
 * Creates a database with a unique name on the server `adminUrl` points at (any database there; the user must
 * be allowed CREATE DATABASE) and returns its URL. `drop()` removes it, ending any connection still open.
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `test_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    drop: () => {
      dropping ??= admin(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
      return dropping;
    },
  };
}
