import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { CASHIER, signIn } from './employees.js';
import { openHostSocket } from './host-socket.js';
import { callHost, tillKnowsEmployee } from './observe.js';
import { eventually, type RunningProcess, repoRoot } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const CODE = 'E2E-STATUS-0001';
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');
const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-status-'));
const running: RunningProcess[] = [];
afterAll(async () => {
  for (const process of running.splice(0).reverse()) await process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Status {
  state: string;
  pending: number;
  lastSyncAt: string | null;
}

describe('the sync status a till shows', () => {
  it('turns offline within seconds of the server going away with nothing to send, and keeps the last answer as last sync, across a restart', async () => {
    const server = await startSyncServer({
      dataDir,
      adminPassword: 'e2e-admin-password',
      enrolmentCode: CODE,
    });
    running.push(server.process);
    let host = await startTerminalHost({ dataDir, serverUrl: server.url, enrolmentCode: CODE });
    running.push(host.process);
    const status = async () => (await callHost(host.url, 'sync.status', {})).result as unknown as Status;

    const online = await eventually(async () => {
      const now = await status();
      return now.state === 'online' && now.lastSyncAt !== null && now.pending === 0 ? now : undefined;
    }, 'online with a first sync');
    // The cashier reached the till before the server goes: they sign in offline later.
    await tillKnowsEmployee(host.url, CASHIER.number);

    // Every status the host publishes from here on.
    const socket = await openHostSocket(host.url);
    const published: Status[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.kind === 'event' && message.event === 'sync.status') published.push(message.payload);
    });
    await new Promise((resolve) => socket.once('open', resolve));

    const lastAnswer = (await status()).lastSyncAt!;
    expect(Date.parse(lastAnswer)).toBeGreaterThanOrEqual(Date.parse(online.lastSyncAt!));
    const killedAt = Date.now();
    server.process.child.kill('SIGKILL');
    await server.process.stop();

    // Nothing is waiting to be sent, so no push can fail: the till must notice by itself. It checks every 5 s with a
    // 2 s timeout; 15 s leaves room for a loaded machine, while the bug this guards against kept "online" for 45 s.
    const offline = await eventually(
      async () => published.find((seen) => seen.state === 'offline'),
      'offline',
      15_000,
    );
    expect(offline.pending).toBe(0);
    expect(Date.parse(offline.lastSyncAt!)).toBeLessThanOrEqual(killedAt);
    const frozen = offline.lastSyncAt;
    // Later statuses while the server is away do not move "last sync": nothing reached the server.
    const seen = published.length;
    await eventually(() => (published.length > seen ? true : undefined), 'another status while offline');
    for (const later of published.slice(seen)) expect(later.lastSyncAt).toBe(frozen);
    socket.close();

    // A restart, still offline: the last sync is the one kept in the ledger, not "never".
    await host.process.stop();
    running.pop();
    host = await startTerminalHost({
      dataDir,
      serverUrl: server.url,
      enrolmentCode: CODE,
      port: Number(new URL(host.url).port),
      waitForEnrolment: false,
    });
    running.push(host.process);
    expect((await status()).lastSyncAt).toBe(frozen);

    // On the screen, not only in a tooltip; a cashier signs in offline, from the employees the till already has.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(host.url);
      await signIn(page, CASHIER.number, CASHIER.pin);
      await page.getByTestId('sync-state').filter({ hasText: 'offline' }).waitFor();
      const shown = await page.getByTestId('last-sync').textContent();
      expect(shown).toMatch(/^last sync \d{1,2}:\d\d:\d\d/);
      expect(shown).toContain(
        new Date(frozen!).toLocaleTimeString('en-US', {
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      );
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'sync-offline.png') });
    } finally {
      await browser.close();
    }
  });
});
