import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type FaultProxy, startFaultProxy } from '../fault-proxy.js';
import { hqSession, signInAtTill } from '../observe.js';
import type { RunningProcess } from '../processes.js';
import { startSyncServer, startTerminalHost } from '../system.js';

const ADMIN_PASSWORD = 'chaos-admin-password';
const FIRST_CODE = 'CHAOS-ENROL-0001';

/** One till: its host process (restartable), the fault proxy in front of its network, and its data folder. */
export interface ChaosTerminal {
  name: string;
  dataDir: string;
  ledgerPath: string;
  terminalId: string;
  proxy: FaultProxy;
  url: string;
  process: RunningProcess;
  /** False while the host is killed and not yet back: no cashier can sell on it. */
  up: boolean;
}

/**
 * The system under test as real processes: one sync server on a fixed port (so it can be killed and restarted where
 * the proxies expect it) and N terminal hosts, each behind its own fault proxy so one can be partitioned alone.
 */
export class ChaosCluster {
  readonly terminals: ChaosTerminal[] = [];
  private server: RunningProcess | null = null;
  private constructor(
    private readonly workDir: string,
    private readonly port: number,
    private readonly serverScript: string | undefined,
    readonly serverUrl: string,
  ) {}

  static async start(options: { workDir: string; terminals: number; serverScript?: string }) {
    const port = await freePort();
    const cluster = new ChaosCluster(options.workDir, port, options.serverScript, `http://127.0.0.1:${port}`);
    try {
      await cluster.startServer();
      const token = await cluster.hqToken();
      for (let i = 0; i < options.terminals; i++) {
        const code = i === 0 ? FIRST_CODE : await cluster.issueCode(token);
        await cluster.addTerminal(`T${i + 1}`, code);
      }
    } catch (error) {
      // Whatever did start must not outlive a failed start.
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  hqToken(): Promise<string> {
    return hqSession(this.serverUrl, ADMIN_PASSWORD);
  }

  serverUp(): boolean {
    const child = this.server?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** SIGKILL: no shutdown hook runs, whatever batch is in its transaction is cut off. */
  killServer(): void {
    this.server?.child.kill('SIGKILL');
  }

  async restartServer(): Promise<void> {
    if (this.server) await exited(this.server);
    await this.startServer();
  }

  killTerminal(terminal: ChaosTerminal): void {
    terminal.up = false;
    terminal.process.child.kill('SIGKILL');
  }

  /**
   * Starts the host again on the same data folder: same ledger, same credential, a new UI port; the cashier signs in
   * again (a host remembers nobody across a restart). Nobody opens the shift again: the till resumes the one its
   * journal has open, as after a power loss (a sale refused `no_open_shift` would fail the run's refused count).
   */
  async restartTerminal(terminal: ChaosTerminal): Promise<void> {
    await exited(terminal.process);
    const host = await startTerminalHost({
      dataDir: terminal.dataDir,
      serverUrl: terminal.proxy.url,
      enrolmentCode: FIRST_CODE,
      terminalName: terminal.name,
      waitForEnrolment: false,
    });
    await signInAtTill(host.url);
    terminal.process = host.process;
    terminal.url = host.url;
    terminal.up = true;
  }

  async stop(): Promise<void> {
    for (const terminal of this.terminals) {
      await terminal.process.stop();
      await terminal.proxy.close();
    }
    await this.server?.stop();
  }

  private async startServer(): Promise<void> {
    const started = await startSyncServer({
      dataDir: this.workDir,
      adminPassword: ADMIN_PASSWORD,
      enrolmentCode: FIRST_CODE,
      port: this.port,
      ...(this.serverScript ? { script: this.serverScript } : {}),
    });
    this.server = started.process;
  }

  private async issueCode(token: string): Promise<string> {
    const storeId = credential(this.terminals[0]!.dataDir).storeId;
    const response = await fetch(`${this.serverUrl}/v1/hq/enrolment-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ storeId, validForMinutes: 60 }),
    });
    if (response.status !== 200) throw new Error(`enrolment code refused: ${await response.text()}`);
    return ((await response.json()) as { code: string }).code;
  }

  private async addTerminal(name: string, code: string): Promise<void> {
    const dataDir = join(this.workDir, name);
    // Enrolment passes untouched; the run sets each proxy's fault plan.
    const proxy = await startFaultProxy(this.serverUrl, { weights: {}, seed: 1 });
    const host = await startTerminalHost({
      dataDir,
      serverUrl: proxy.url,
      enrolmentCode: code,
      terminalName: name,
    });
    this.terminals.push({
      name,
      dataDir,
      ledgerPath: host.ledgerPath,
      terminalId: credential(dataDir).terminalId,
      proxy,
      url: host.url,
      process: host.process,
      up: true,
    });
  }
}

function credential(dataDir: string): { terminalId: string; storeId: string } {
  return JSON.parse(readFileSync(join(dataDir, 'terminal', 'credentials.json'), 'utf8'));
}

function exited(process: RunningProcess): Promise<void> {
  const child = process.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

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
