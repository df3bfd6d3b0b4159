import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTerminalKeyPair, signRequest } from '@tillwright/protocol/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store.js';
import type { TerminalPrincipal } from '../store/store.js';
import { saleChain } from '../test-support.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
const ENROLMENT_CODE = 'SHUTDOWN-TEST-0001';
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [CLI, '--demo', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TILLWRIGHT_DEMO_ENROLMENT_CODE: ENROLMENT_CODE },
    },
  );
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /sync server listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return { child, url };
}

describe('graceful shutdown', () => {
  it('finishes or abandons whole batches only: after SIGTERM mid-stream every terminal has a whole, gapless prefix', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-shutdown-'));
    dirs.push(dataDir);
    const { child, url } = await startServer(dataDir);
    const keys = generateTerminalKeyPair();
    const enrolled = await fetch(`${url}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: ENROLMENT_CODE, terminalName: 'Till', publicKey: keys.publicKey }),
    });
    const terminal = (await enrolled.json()) as TerminalPrincipal;
    const events = saleChain(terminal, 2_000);
    const acknowledged: number[] = [];
    const pushing = (async () => {
      for (let start = 0; start < events.length; start += 100) {
        const body = JSON.stringify({ epoch: 1, events: events.slice(start, start + 100) });
        const path = '/v1/journal/batches';
        try {
          const response = await fetch(`${url}${path}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: signRequest(
                { method: 'POST', pathWithQuery: path, body },
                terminal.terminalId,
                keys.privateKeyPem,
              ),
            },
            body,
          });
          if (response.status === 200)
            acknowledged.push(((await response.json()) as { ackedSeq: number }).ackedSeq);
        } catch {
          return; // the server went away mid-request: the answer is lost, which the terminal's retry handles
        }
      }
    })();
    while (acknowledged.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await pushing;

    const store = new SqliteStore(join(dataDir, 'server.sqlite'));
    try {
      const stored = (await store.readStream(null, 0, 10_000)).map((item) => item.event.seq);
      expect(stored.length % 100).toBe(0);
      expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged.at(-1)!);
      expect((await store.terminal(terminal.terminalId))?.ackedSeq).toBe(stored.length);
    } finally {
      await store.close();
    }
  });
});
