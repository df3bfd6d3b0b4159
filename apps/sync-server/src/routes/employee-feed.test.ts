import { DEFAULT_ROLES, type EmployeeFeedItem, FeedPullResponse, readFeedItem } from '@tillwright/protocol';
import { verifyPin } from '@tillwright/protocol/pin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../auth/auth.js';
import {
  BACKENDS,
  FIXED_NOW,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';
import { employeeFixture, expectRefusal, newEmployee, OTHER_STORE } from '../testing/employees.js';

/** Employees reach the tills of their stores through the feed (issue #15), and roles stay where employees use them. */
describe.each(BACKENDS)('employees in the terminal feed on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let fixture: Awaited<ReturnType<typeof employeeFixture>>;
  /** A till of the demo store (A) and one of the other store (B). */
  let tillA: TestTerminal;
  let tillB: TestTerminal;

  beforeEach(async () => {
    server = await startTestServer(backend);
    fixture = await employeeFixture(server);
    await server.store.issueEnrolmentCode(
      server.orgId,
      OTHER_STORE,
      sha256Hex('CODE-STORE-B'),
      new Date(FIXED_NOW.getTime() + 3600_000).toISOString(),
    );
    tillA = await server.enrol(server.codes[0]!);
    tillB = await server.enrol('CODE-STORE-B');
  });
  afterEach(() => server.close());

  const admin = (method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown) =>
    fixture.hq(fixture.admin, method, url, body);
  /** The employee entries a till pulls from the start, each checked as a till reads it. */
  const entries = async (till: TestTerminal): Promise<EmployeeFeedItem[]> => {
    const response = await server.signed(till, 'GET', '/v1/feed?after=0');
    expect(response.statusCode, response.body).toBe(200);
    const page = FeedPullResponse.parse(response.json());
    for (const item of page.items) expect(readFeedItem(item).ok).toBe(true);
    return page.items.filter((item): item is EmployeeFeedItem => item.kind === 'employee');
  };
  const latest = (items: EmployeeFeedItem[], employeeId: string) =>
    items.filter((item) => item.employee.employeeId === employeeId).at(-1);
  /**
   * Every entry a till pulls from 0, not only the latest: a hash is only ever on the latest entry of its employee,
   * and that entry is active. An older entry with a hash would hand a till a PIN that no longer belongs there.
   */
  const expectHashOnlyOnLatestActive = (items: EmployeeFeedItem[]) => {
    for (const [index, item] of items.entries()) {
      const later = items
        .slice(index + 1)
        .some((next) => next.employee.employeeId === item.employee.employeeId);
      if (later || !item.employee.active) expect(item.employee.pin, JSON.stringify(item)).toBeNull();
    }
  };

  it("gives a till of store A its store's employee entries and never store B's", async () => {
    const ada = (await admin('POST', '/v1/hq/employees', newEmployee({ employeeId: 'ada' }))).json();
    await admin(
      'POST',
      '/v1/hq/employees',
      newEmployee({ employeeId: 'bob', number: '2', storeIds: [OTHER_STORE] }),
    );
    await admin(
      'POST',
      '/v1/hq/employees',
      newEmployee({
        employeeId: 'cy',
        number: '3',
        storeIds: [server.storeId, OTHER_STORE],
        roleId: 'manager',
      }),
    );
    const atA = await entries(tillA);
    const atB = await entries(tillB);
    expect(atA.map((item) => [item.storeId, item.employee.employeeId])).toEqual([
      [server.storeId, 'ada'],
      [server.storeId, 'cy'],
    ]);
    expect(atB.map((item) => [item.storeId, item.employee.employeeId])).toEqual([
      [OTHER_STORE, 'bob'],
      [OTHER_STORE, 'cy'],
    ]);
    expect(atA[0]!.employee).toMatchObject({
      employeeId: 'ada',
      number: ada.number,
      displayName: ada.displayName,
      roleId: 'cashier',
      active: true,
      pin: { algorithm: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32 },
    });
    expect(await verifyPin('7314', atA[0]!.employee.pin!)).toBe(true);
  });

  it('sends a deactivation and a removal from a store as inactive entries for the store concerned, without the hash', async () => {
    await admin(
      'POST',
      '/v1/hq/employees',
      newEmployee({ employeeId: 'ada', storeIds: [server.storeId, OTHER_STORE] }),
    );
    // Ada stops working at store B: B's tills learn it, and a till of B that pulls from 0 gets no hash of hers.
    const moved = await admin('PATCH', '/v1/hq/employees/ada', { storeIds: [server.storeId] });
    expect(moved.statusCode, moved.body).toBe(200);
    const atB = await entries(tillB);
    expect(atB.map((item) => item.employee)).toEqual([expect.objectContaining({ active: false, pin: null })]);
    expect(latest(await entries(tillA), 'ada')?.employee).toMatchObject({ active: true });
    expectHashOnlyOnLatestActive(await entries(tillA));
    // Deactivated: store A's tills learn it too, and no entry of A carries her hash; B hears nothing more.
    await admin('PATCH', '/v1/hq/employees/ada', { active: false });
    const atA = await entries(tillA);
    expect(latest(atA, 'ada')?.employee).toMatchObject({ active: false, pin: null });
    expect(atA.filter((item) => item.employee.pin !== null)).toEqual([]);
    expect(await entries(tillB)).toEqual(atB);
    // Reactivated and back at B: both get an active entry with the hash again, and only that one has it.
    await admin('PATCH', '/v1/hq/employees/ada', { active: true, storeIds: [server.storeId, OTHER_STORE] });
    for (const till of [tillA, tillB]) {
      const all = await entries(till);
      expectHashOnlyOnLatestActive(all);
      const entry = latest(all, 'ada')!;
      expect(entry.employee.active).toBe(true);
      expect(await verifyPin('7314', entry.employee.pin!)).toBe(true);
    }
  });

  it('leaves no hash but that of the latest active entry: a pull from 0 finds no PIN that no longer holds', async () => {
    await admin(
      'POST',
      '/v1/hq/employees',
      newEmployee({ employeeId: 'ada', storeIds: [server.storeId, OTHER_STORE] }),
    );
    await admin('POST', '/v1/hq/employees', newEmployee({ employeeId: 'bob', number: '2' }));
    // Ada leaves store B, then changes her PIN; Bob is deactivated.
    expect((await admin('PATCH', '/v1/hq/employees/ada', { storeIds: [server.storeId] })).statusCode).toBe(
      200,
    );
    expect((await admin('PUT', '/v1/hq/employees/ada/pin', { pin: '1357' })).statusCode).toBe(200);
    expect((await admin('PATCH', '/v1/hq/employees/bob', { active: false })).statusCode).toBe(200);
    const atA = await entries(tillA);
    const atB = await entries(tillB);
    expectHashOnlyOnLatestActive(atA);
    expectHashOnlyOnLatestActive(atB);
    // Store B, which Ada left, holds no hash at all; store A holds only her new PIN's, none that the old PIN opens.
    expect(atB.filter((item) => item.employee.pin !== null)).toEqual([]);
    const hashesAtA = atA.flatMap((item) => (item.employee.pin === null ? [] : [item.employee.pin]));
    expect(hashesAtA).toHaveLength(1);
    for (const hash of hashesAtA) expect(await verifyPin('7314', hash)).toBe(false);
    expect(await verifyPin('1357', hashesAtA[0]!)).toBe(true);
  });

  it('sends a PIN change with the new hash: the new PIN verifies and the old one fails', async () => {
    await admin('POST', '/v1/hq/employees', newEmployee({ employeeId: 'ada' }));
    const old = latest(await entries(tillA), 'ada')!;
    const reset = await admin('PUT', '/v1/hq/employees/ada/pin', { pin: '1357' });
    expect(reset.statusCode, reset.body).toBe(200);
    const fresh = latest(await entries(tillA), 'ada')!;
    expect(fresh.version).toBeGreaterThan(old.version);
    expect(fresh.employee.pin!.salt).not.toBe(old.employee.pin!.salt);
    expect(await verifyPin('1357', fresh.employee.pin!)).toBe(true);
    expect(await verifyPin('7314', fresh.employee.pin!)).toBe(false);
    expect(await entries(tillB)).toEqual([]);
  });

  it('refuses a configuration that leaves out a role active employees have (409 with the list), and keeps the roles', async () => {
    await admin('POST', '/v1/hq/employees', newEmployee({ employeeId: 'ada' }));
    await admin(
      'POST',
      '/v1/hq/employees',
      newEmployee({ employeeId: 'bob', number: '2', storeIds: [OTHER_STORE] }),
    );
    const { cashier: _cashier, ...withoutCashier } = DEFAULT_ROLES;
    const put = (body: unknown) => fixture.hq(fixture.admin, 'PUT', '/v1/hq/config', body);
    const head = async () =>
      (await server.store.feedAfter({ orgId: server.orgId, storeId: OTHER_STORE }, 0, 1)).head;
    const before = await head();
    const refused = expectRefusal(await put({ config: { roles: withoutCashier } }), 409, 'roles_in_use');
    expect(refused.details).toEqual({
      missing: [
        { roleId: 'cashier', storeId: server.storeId, employees: ['1042'] },
        { roleId: 'cashier', storeId: OTHER_STORE, employees: ['2'] },
      ],
    });
    expect(refused.message).toContain('cashier at store-001 (employees 1042)');
    // For one store only: only that store's employees count; the org's document keeps store B's cashier.
    const storeOnly = expectRefusal(
      await put({ storeId: server.storeId, config: { roles: withoutCashier } }),
      409,
      'roles_in_use',
    );
    expect(storeOnly.details).toEqual({
      missing: [{ roleId: 'cashier', storeId: server.storeId, employees: ['1042'] }],
    });
    expect(await head()).toBe(before);
    // Once Ada is deactivated, store A's tills may lose the role; a new cashier there is then refused.
    await admin('PATCH', '/v1/hq/employees/ada', { active: false });
    const accepted = await put({ storeId: server.storeId, config: { roles: withoutCashier } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().config.schema).toBe(3);
    expectRefusal(await admin('POST', '/v1/hq/employees', newEmployee({ number: '3' })), 400, 'unknown_role');
    expectRefusal(await admin('PATCH', '/v1/hq/employees/ada', { active: true }), 400, 'unknown_role');
    // Withdrawing store A's document brings the org's roles back there; so does a role of the store's own.
    const withdrawn = await put({ storeId: server.storeId, config: null });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await admin('PATCH', '/v1/hq/employees/ada', { active: true })).statusCode).toBe(200);
  });
});
