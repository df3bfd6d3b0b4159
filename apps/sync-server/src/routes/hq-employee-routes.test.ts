import { EmployeeList, EmployeeView, isUuidV7 } from '@tillwright/protocol';
import { verifyPin } from '@tillwright/protocol/pin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, FIXED_NOW, startTestServer, type TestServer, useBackend } from '../test-support.js';
import {
  employeeFixture,
  expectRefusal,
  newEmployee,
  OTHER_ORG,
  OTHER_ORG_STORE,
  OTHER_STORE,
} from '../testing/employees.js';

describe.each(BACKENDS)('HQ employees on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let fixture: Awaited<ReturnType<typeof employeeFixture>>;

  beforeEach(async () => {
    server = await startTestServer(backend);
    fixture = await employeeFixture(server);
  });
  afterEach(() => server.close());

  const create = (body: Record<string, unknown>, token = fixture.admin) =>
    fixture.hq(token, 'POST', '/v1/hq/employees', body);
  const patch = (employeeId: string, body: unknown) =>
    fixture.hq(fixture.admin, 'PATCH', `/v1/hq/employees/${employeeId}`, body);
  const resetPin = (employeeId: string, pin: unknown) =>
    fixture.hq(fixture.admin, 'PUT', `/v1/hq/employees/${employeeId}/pin`, { pin });
  /** What a refusal must leave as it was: the org's employees, both stores' feeds and the audit log. */
  const everything = async () => ({
    employees: await server.store.employees(server.orgId),
    feeds: [
      await server.store.feedAfter({ orgId: server.orgId, storeId: server.storeId }, 0, 1000),
      await server.store.feedAfter({ orgId: server.orgId, storeId: OTHER_STORE }, 0, 1000),
    ],
    audit: await server.store.auditLog(server.orgId, 0, 1000),
  });

  it('creates an employee (201) whom admins and viewers read, never with a PIN or its hash', async () => {
    const created = await create(newEmployee({ storeIds: [OTHER_STORE, server.storeId] }));
    expect(created.statusCode, created.body).toBe(201);
    const view = EmployeeView.parse(created.json());
    expect(isUuidV7(view.employeeId)).toBe(true);
    expect(view).toEqual({
      employeeId: view.employeeId,
      number: '1042',
      displayName: 'Ada Lovelace',
      roleId: 'cashier',
      storeIds: [server.storeId, OTHER_STORE],
      active: true,
      pinChangedAt: FIXED_NOW.toISOString(),
      createdAt: FIXED_NOW.toISOString(),
      updatedAt: FIXED_NOW.toISOString(),
      version: 1,
    });
    for (const token of [fixture.admin, fixture.viewer]) {
      const list = await fixture.hq(token, 'GET', '/v1/hq/employees');
      expect(EmployeeList.parse(list.json())).toEqual({ employees: [view] });
      const one = await fixture.hq(token, 'GET', `/v1/hq/employees/${view.employeeId}`);
      expect(one.json()).toEqual(view);
      for (const text of [list.body, one.body]) expect(text).not.toMatch(/7314|salt|hash|scrypt/);
    }
    expect(created.body).not.toMatch(/7314|salt|hash|scrypt/);
  });

  it('answers the same request again with the employee (200), and another one under the id with 409', async () => {
    const body = newEmployee({ employeeId: 'emp-ada', storeIds: [server.storeId, OTHER_STORE] });
    const first = await create(body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await create({ ...body, storeIds: [OTHER_STORE, server.storeId] });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const before = await everything();
    for (const other of [{ displayName: 'Ada King' }, { roleId: 'manager' }, { number: '1043' }]) {
      const refused = expectRefusal(await create({ ...body, ...other }), 409, 'employee_exists');
      expect(refused.details).toEqual({ employeeId: 'emp-ada' });
    }
    expect(await everything()).toEqual(before);
    expect(before.audit.map((entry) => entry.action)).toEqual(['employee.create']);
  });

  it('answers a repeat by its id and fields alone, ignoring its PIN: never whether the PIN matches', async () => {
    const body = newEmployee({ employeeId: 'emp-ada' });
    expect((await create(body)).statusCode).toBe(201);
    const before = await everything();
    const right = await create(body);
    const wrong = await create({ ...body, pin: '3917' });
    // The same answer, byte for byte: an admin cannot test PIN guesses by repeating the request.
    expect([wrong.statusCode, wrong.body]).toEqual([right.statusCode, right.body]);
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual(before.employees[0]);
    // And nothing changed: not the PIN (the first one still verifies), the feeds or the audit log.
    expect(await everything()).toEqual(before);
    const stored = await server.store.employee(server.orgId, 'emp-ada');
    expect(await verifyPin(body.pin, stored!.pin)).toBe(true);
    expect(await verifyPin('3917', stored!.pin)).toBe(false);
  });

  it('refuses a taken number, an unknown role or store, a weak PIN and a bad body, and changes nothing', async () => {
    expect((await create(newEmployee({ employeeId: 'emp-ada' }))).statusCode).toBe(201);
    const before = await everything();
    const taken = expectRefusal(
      await create(newEmployee({ displayName: 'Bob' })),
      409,
      'employee_number_taken',
    );
    expect(taken.details).toEqual({ number: '1042', employeeId: 'emp-ada' });
    const role = expectRefusal(
      await create(newEmployee({ number: '7', roleId: 'owner' })),
      400,
      'unknown_role',
    );
    expect(role.details).toEqual({ roleId: 'owner', storeIds: [server.storeId] });
    for (const storeIds of [[OTHER_ORG_STORE], ['nowhere', server.storeId]]) {
      const store = expectRefusal(await create(newEmployee({ number: '7', storeIds })), 400, 'unknown_store');
      expect(store.details).toEqual({ storeIds: storeIds.filter((id) => id !== server.storeId) });
    }
    for (const pin of ['1234', '0000', '98765432', '2580', '1212', '1987']) {
      const weak = expectRefusal(await create(newEmployee({ number: '7', pin })), 400, 'weak_pin');
      expect(weak.message).toMatch(/choose/);
      expect(weak.message).not.toContain(pin);
    }
    // A PIN equal to the employee's own number, at create and at a reset.
    const own = expectRefusal(await create(newEmployee({ number: '4817', pin: '4817' })), 400, 'weak_pin');
    expect(own.message).toMatch(/employee number/);
    expect(own.message).not.toContain('4817');
    expectRefusal(await resetPin('emp-ada', '1042'), 400, 'weak_pin');
    for (const bad of [
      { pin: '123' },
      { pin: 1234 },
      { number: '12345678901' },
      { number: 'A7' },
      { displayName: '' },
      { displayName: 'Bell\u0007' },
      { displayName: ' ' },
      { displayName: '\u200B' },
      { displayName: '\u202Eecila' },
      { roleId: 'Cashier' },
      { storeIds: [] },
      { storeIds: [server.storeId, server.storeId] },
      { employeeId: 'not an id' },
      { active: false },
      { pinHash: 'x' },
    ]) {
      expectRefusal(await create(newEmployee({ number: '7', ...bad })), 400, 'invalid_request');
    }
    expect(await everything()).toEqual(before);
  });

  it('lets viewers read and only admins write; without a session nothing at all', async () => {
    expect((await create(newEmployee({ employeeId: 'emp-ada' }))).statusCode).toBe(201);
    const before = await everything();
    for (const [token, status, code] of [
      [fixture.viewer, 403, 'forbidden'],
      [null, 401, 'unauthorized'],
    ] as const) {
      expectRefusal(await create(newEmployee({ number: '7' }), token as string), status, code);
      expectRefusal(
        await fixture.hq(token, 'PATCH', '/v1/hq/employees/emp-ada', { active: false }),
        status,
        code,
      );
      expectRefusal(
        await fixture.hq(token, 'PUT', '/v1/hq/employees/emp-ada/pin', { pin: '1357' }),
        status,
        code,
      );
      expectRefusal(await fixture.hq(token, 'GET', '/v1/hq/audit'), status, code);
    }
    expectRefusal(await fixture.hq(null, 'GET', '/v1/hq/employees'), 401, 'unauthorized');
    expectRefusal(await fixture.hq(null, 'GET', '/v1/hq/employees/emp-ada'), 401, 'unauthorized');
    expect(await everything()).toEqual(before);
  });

  it("keeps orgs apart: another org's employee is not found, not listed, not changed", async () => {
    // The same id and number in two orgs are two employees.
    expect((await create(newEmployee({ employeeId: 'emp-ada' }))).statusCode).toBe(201);
    const theirs = await create(
      newEmployee({ employeeId: 'emp-ada', storeIds: [OTHER_ORG_STORE], displayName: 'Theirs' }),
      fixture.otherAdmin,
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(
      (
        await create(
          newEmployee({ employeeId: 'emp-b', number: '9', storeIds: [OTHER_ORG_STORE] }),
          fixture.otherAdmin,
        )
      ).statusCode,
    ).toBe(201);
    const before = await everything();
    expectRefusal(await fixture.hq(fixture.admin, 'GET', '/v1/hq/employees/emp-b'), 404, 'not_found');
    expectRefusal(await patch('emp-b', { displayName: 'Mine now' }), 404, 'not_found');
    expectRefusal(await resetPin('emp-b', '1357'), 404, 'not_found');
    const ours = (await fixture.hq(fixture.admin, 'GET', '/v1/hq/employees')).json();
    expect(ours.employees.map((e: EmployeeView) => e.displayName)).toEqual(['Ada Lovelace']);
    const others = (await fixture.hq(fixture.otherAdmin, 'GET', '/v1/hq/employees')).json();
    // By number, as numbers: 9 before 1042.
    expect(others.employees.map((e: EmployeeView) => e.employeeId)).toEqual(['emp-b', 'emp-ada']);
    expect((await server.store.employee(OTHER_ORG, 'emp-b'))?.view.displayName).toBe('Ada Lovelace');
    expect(await everything()).toEqual(before);
    // Each org's audit log holds its own actions only.
    const audit = (await fixture.hq(fixture.otherAdmin, 'GET', '/v1/hq/audit')).json();
    expect(audit.entries.map((e: { target: string }) => e.target)).toEqual(['emp-ada', 'emp-b']);
    expect(audit.entries.every((e: { actor: { staffId: string } }) => e.actor.staffId === 'b-admin')).toBe(
      true,
    );
  });

  it('changes what PATCH names, one version more; the same values again change nothing', async () => {
    expect((await create(newEmployee({ employeeId: 'emp-ada' }))).statusCode).toBe(201);
    const change = (body: unknown) => patch('emp-ada', body);
    const renamed = await change({ displayName: 'Ada King', storeIds: [OTHER_STORE, server.storeId] });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      displayName: 'Ada King',
      storeIds: [server.storeId, OTHER_STORE],
      version: 2,
    });
    const before = await everything();
    const same = await change({ displayName: 'Ada King', active: true });
    expect(same.json()).toEqual(renamed.json());
    expect(await everything()).toEqual(before);
    for (const [body, status, code] of [
      [{}, 400, 'invalid_request'],
      [{ number: '9' }, 400, 'invalid_request'],
      [{ pin: '1357' }, 400, 'invalid_request'],
      [{ roleId: 'owner' }, 400, 'unknown_role'],
      [{ storeIds: [OTHER_ORG_STORE] }, 400, 'unknown_store'],
    ] as const) {
      expectRefusal(await change(body), status, code);
    }
    expectRefusal(await patch('nobody', { active: false }), 404, 'not_found');
    expect(await everything()).toEqual(before);
    const promoted = await change({ roleId: 'supervisor', active: false });
    expect(promoted.json()).toMatchObject({ roleId: 'supervisor', active: false, version: 3 });
  });

  it('resets a PIN: one version more, a new pinChangedAt, and nothing of the PIN anywhere HQ reads', async () => {
    let at = FIXED_NOW;
    await server.close();
    server = await startTestServer(backend, { now: () => at });
    fixture = await employeeFixture(server);
    expect((await create(newEmployee({ employeeId: 'emp-ada' }))).statusCode).toBe(201);
    at = new Date(FIXED_NOW.getTime() + 60_000);
    const reset = await resetPin('emp-ada', '1357');
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({
      version: 2,
      pinChangedAt: at.toISOString(),
      createdAt: FIXED_NOW.toISOString(),
    });
    const before = await everything();
    expectRefusal(await resetPin('emp-ada', '4321'), 400, 'weak_pin');
    expectRefusal(await resetPin('emp-ada', '12'), 400, 'invalid_request');
    expectRefusal(await resetPin('nobody', '1357'), 404, 'not_found');
    expect(await everything()).toEqual(before);
    const audit = (await fixture.hq(fixture.admin, 'GET', '/v1/hq/audit')).json();
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual([
      'employee.create',
      'employee.pin-reset',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/1357|7314|salt|hash|scrypt/);
  });
});
