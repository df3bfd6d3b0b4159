import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { weakPinReason } from '@tillwright/protocol';
import { generateTerminalKeyPair } from '@tillwright/protocol/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_EMPLOYEES } from './demo-seed.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The real server process in demo mode, as `npm start` runs it; resolves with its URL and the code it printed. */
async function startDemoServer(
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; code: string; output: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-demo-'));
  dirs.push(dataDir);
  const child = spawn(
    process.execPath,
    [CLI, '--demo', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TILLWRIGHT_ADMIN_PASSWORD: 'demo-test-pw', ...env },
    },
  );
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /sync server listening on (\S+)/.exec(output)?.[1];
      const code = /demo seeded: enrolment code (\S+?),? /.exec(output)?.[1];
      if (url && code) resolve({ url, code, output });
    });
    child.once('exit', (exitCode) => reject(new Error(`server exited ${exitCode}: ${output}`)));
  });
}

function enrol(url: string, code: string) {
  return fetch(`${url}/v1/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, terminalName: 'Till', publicKey: generateTerminalKeyPair().publicKey }),
  });
}

describe('the demo enrolment code', () => {
  it('is random on every start, never the old fixed one, and enrols one till once', async () => {
    const first = await startDemoServer();
    const second = await startDemoServer();
    for (const { code } of [first, second])
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
    expect(first.code).not.toBe(second.code);

    expect((await enrol(first.url, 'DEMO-ENROL-0001')).status).toBe(403);
    expect((await enrol(first.url, second.code)).status).toBe(403);
    expect((await enrol(first.url, first.code)).status).toBe(200);
    const again = await enrol(first.url, first.code);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('enrolment_code_invalid');
  });

  it('is the one a test names in TILLWRIGHT_DEMO_ENROLMENT_CODE', async () => {
    const started = await startDemoServer({ TILLWRIGHT_DEMO_ENROLMENT_CODE: 'TEST-ENROL-0042' });
    expect(started.code).toBe('TEST-ENROL-0042');
    expect((await enrol(started.url, 'TEST-ENROL-0042')).status).toBe(200);
  });
});

describe('the demo employees', () => {
  it('are seeded at the demo store as HQ makes them, and printed with their numbers and PINs', async () => {
    const started = await startDemoServer();
    expect(started.output).toContain(
      'demo employees: 1001 Alex Cashier (cashier) PIN 1357; 2001 Sam Supervisor (supervisor) PIN 2468; ' +
        '3001 Morgan Manager (manager) PIN 3579',
    );
    for (const { pin } of DEMO_EMPLOYEES) expect(weakPinReason(pin)).toBeNull();
    const session = await fetch(`${started.url}/v1/hq/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo-test-pw' }),
    });
    const { token } = (await session.json()) as { token: string };
    const listed = await fetch(`${started.url}/v1/hq/employees`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { employees } = (await listed.json()) as { employees: Record<string, unknown>[] };
    expect(
      employees.map(({ number, displayName, roleId, storeIds, active }) => [
        number,
        displayName,
        roleId,
        storeIds,
        active,
      ]),
    ).toEqual([
      ['1001', 'Alex Cashier', 'cashier', ['store-001'], true],
      ['2001', 'Sam Supervisor', 'supervisor', ['store-001'], true],
      ['3001', 'Morgan Manager', 'manager', ['store-001'], true],
    ]);
  });
});
