/**
 * A pair of connected pseudo-terminals made by socat, for tests and benchmarks that need a real kernel tty
 * (research §5.1): `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`. The links are stable paths, so a
 * pair can be stopped (the "device" is unplugged) and started again at the same paths (plugged back).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export class PtyPair {
  readonly a: string;
  readonly b: string;
  #process: ChildProcess | undefined;

  constructor(a: string, b: string) {
    this.a = a;
    this.b = b;
  }

  get running(): boolean {
    return this.#process !== undefined;
  }

  /** Start socat and resolve once both pty links exist. */
  async start(timeoutMs = 5000): Promise<void> {
    if (this.#process) throw new Error('pty pair already running');
    const child = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.#process = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const deadline = Date.now() + timeoutMs;
    while (!/starting data transfer loop/.test(stderr) || !existsSync(this.a) || !existsSync(this.b)) {
      if (child.exitCode !== null) throw new Error(`socat exited early: ${stderr}`);
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`socat did not start: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Kill socat (both ptys close) and resolve once it has exited. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}
