import { AuditPage, DEFAULT_ROLES } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.js';
import { DEMO_CATALOG } from '../ops/demo-seed.js';
import {
  ADMIN_PASSWORD,
  BACKENDS,
  FIXED_NOW,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';
import { employeeFixture, expectRefusal, newEmployee, OTHER_STORE } from '../testing/employees.js';

const AUTHORISATION = '4f9c1b7e-2a3d-4c5e-9f60-000000000001';
const NEW_ADMIN_PASSWORD = 'a-new-admin-password-for-tests';
const NEW_VIEWER_PASSWORD = 'a-new-viewer-password-for-tests';

/** Every admin action at HQ leaves one audit row: who, what, to what, when, and never a secret (issue #15, point 7). */
describe.each(BACKENDS)('the HQ audit log on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let fixture: Awaited<ReturnType<typeof employeeFixture>>;
  let till: TestTerminal;

  beforeEach(async () => {
    server = await startTestServer(backend);
    fixture = await employeeFixture(server);
    till = await server.enrol(server.codes[0]!);
    expect((await server.push(till, saleChain(till, 1))).statusCode).toBe(200);
  });
  afterEach(() => server.close());

  const as = (token: string) => ({
    send: (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      fixture.hq(token, method, url, body),
  });
  const audit = async (token = fixture.admin, query = '') => {
    const response = await fixture.hq(token, 'GET', `/v1/hq/audit${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return AuditPage.parse(response.json());
  };
  const ok = async (response: Awaited<ReturnType<typeof fixture.hq>>) => {
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  };

  it('records every admin action with who did it, what, to what and when, and never a secret', async () => {
    const admin = as(fixture.admin);
    await ok(await admin.send('PUT', '/v1/hq/config', { config: { receiptFooter: 'Thanks' } }));
    await ok(
      await admin.send('PUT', '/v1/hq/config', { storeId: OTHER_STORE, config: { autoLockSeconds: 60 } }),
    );
    const { code } = await ok(await admin.send('POST', '/v1/hq/enrolment-codes', { storeId: OTHER_STORE }));
    await ok(await admin.send('POST', `/v1/hq/terminals/${till.terminalId}/revoke`));
    await ok(await admin.send('PUT', '/v1/hq/catalog', { products: [{ ...DEMO_CATALOG[0]!, price: 275 }] }));
    const sale = (await server.store.readStream(server.orgId, 0, 1))[0]!.event;
    await ok(
      await admin.send('POST', '/v1/hq/return-authorisations', {
        authorisationId: AUTHORISATION,
        originalSaleId: sale.eventId,
        storeId: OTHER_STORE,
        lines: [{ lineId: 'l1', quantity: 1 }],
      }),
    );
    await ok(await admin.send('POST', `/v1/hq/return-authorisations/${AUTHORISATION}/cancel`));
    await ok(
      await admin.send('POST', '/v1/hq/employees', newEmployee({ employeeId: 'ada', pin: '86420975' })),
    );
    await ok(await admin.send('PATCH', '/v1/hq/employees/ada', { roleId: 'supervisor', active: false }));
    await ok(await admin.send('PUT', '/v1/hq/employees/ada/pin', { pin: '31975308' }));
    await server.store.setPassword('demo-viewer', await hashPassword('the-viewer-password'));
    await ok(
      await admin.send('PUT', '/v1/hq/staff/demo-viewer/password', { newPassword: NEW_VIEWER_PASSWORD }),
    );
    await ok(await admin.send('DELETE', '/v1/hq/staff/demo-viewer/sessions'));
    const changed = await ok(
      await admin.send('POST', '/v1/hq/password', {
        currentPassword: ADMIN_PASSWORD,
        newPassword: NEW_ADMIN_PASSWORD,
      }),
    );

    const page = await audit(changed.session.token);
    expect(page.entries.map((entry) => [entry.action, entry.target])).toEqual([
      ['config.put', 'org'],
      ['config.put', `store:${OTHER_STORE}`],
      ['enrolment-code.issue', `store:${OTHER_STORE}`],
      ['terminal.revoke', till.terminalId],
      ['catalog.import', 'catalog'],
      ['return-authorisation.create', AUTHORISATION],
      ['return-authorisation.cancel', AUTHORISATION],
      ['employee.create', 'ada'],
      ['employee.update', 'ada'],
      ['employee.pin-reset', 'ada'],
      ['staff.password-reset', 'demo-viewer'],
      ['staff.sessions-end', 'demo-viewer'],
      ['staff.password-change', 'demo-admin'],
    ]);
    expect(page.entries.map((entry) => entry.id)).toEqual(page.entries.map((_, i) => i + 1));
    expect(page.nextAfter).toBe(page.entries.length);
    for (const entry of page.entries) {
      expect(entry.actor).toEqual({ staffId: 'demo-admin', username: 'admin' });
      expect(entry.at).toBe(FIXED_NOW.toISOString());
    }
    const detail = Object.fromEntries(
      page.entries.map((entry) => [`${entry.action} ${entry.target}`, entry.detail]),
    );
    expect(detail['config.put org']).toMatchObject({
      scope: 'org',
      storeId: null,
      config: { receiptFooter: 'Thanks' },
    });
    expect(detail[`config.put store:${OTHER_STORE}`]).toMatchObject({
      scope: 'store',
      storeId: OTHER_STORE,
      config: { schema: 3, autoLockSeconds: 60, roles: DEFAULT_ROLES },
    });
    expect(detail[`enrolment-code.issue store:${OTHER_STORE}`]).toEqual({
      storeId: OTHER_STORE,
      expiresAt: new Date(FIXED_NOW.getTime() + 3600_000).toISOString(),
    });
    expect(detail['catalog.import catalog']).toMatchObject({ imported: 1, products: 1 });
    expect(detail['catalog.import catalog']!.version).toBeGreaterThan(DEMO_CATALOG.length);
    expect(detail[`return-authorisation.create ${AUTHORISATION}`]).toMatchObject({
      originalSaleId: sale.eventId,
      storeId: OTHER_STORE,
      lines: [{ lineId: 'l1', quantity: 1 }],
    });
    expect(detail['employee.create ada']).toMatchObject({
      number: '1042',
      roleId: 'cashier',
      storeIds: ['store-001'],
    });
    expect(detail['employee.update ada']).toEqual({
      number: '1042',
      version: 2,
      changes: { roleId: { from: 'cashier', to: 'supervisor' }, active: { from: true, to: false } },
    });
    expect(detail['employee.pin-reset ada']).toEqual({ number: '1042', version: 3 });
    expect(detail['staff.sessions-end demo-viewer']).toEqual({ username: 'demo-viewer', sessionsEnded: 0 });

    const text = JSON.stringify(page);
    for (const secret of [
      code,
      '86420975',
      '31975308',
      NEW_ADMIN_PASSWORD,
      NEW_VIEWER_PASSWORD,
      ADMIN_PASSWORD,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/salt|scrypt|"hash"|passwordHash|pin"/i);
  });

  it('adds no row for a repeat that changes nothing, nor for a refusal', async () => {
    const admin = as(fixture.admin);
    await ok(await admin.send('PUT', '/v1/hq/config', { config: { receiptFooter: 'Thanks' } }));
    await ok(await admin.send('POST', '/v1/hq/employees', newEmployee({ employeeId: 'ada' })));
    const before = await audit();
    await ok(await admin.send('PUT', '/v1/hq/config', { config: { receiptFooter: 'Thanks' } }));
    await ok(await admin.send('POST', '/v1/hq/employees', newEmployee({ employeeId: 'ada' })));
    await ok(await admin.send('PATCH', '/v1/hq/employees/ada', { displayName: 'Ada Lovelace' }));
    expectRefusal(
      await admin.send('POST', '/v1/hq/employees', newEmployee({ number: '2', roleId: 'owner' })),
      400,
      'unknown_role',
    );
    expectRefusal(await admin.send('POST', '/v1/hq/terminals/nobody/revoke'), 404, 'not_found');
    expectRefusal(
      await admin.send('POST', '/v1/hq/enrolment-codes', { storeId: 'nowhere' }),
      404,
      'not_found',
    );
    expectRefusal(await as(fixture.viewer).send('PUT', '/v1/hq/config', { config: {} }), 403, 'forbidden');
    expect(await audit()).toEqual(before);
  });

  it('pages by id for admins of the org only', async () => {
    const admin = as(fixture.admin);
    for (const number of ['1', '2', '3']) {
      await ok(
        await admin.send('POST', '/v1/hq/employees', newEmployee({ employeeId: `e${number}`, number })),
      );
    }
    const first = await audit(fixture.admin, '?limit=2');
    expect(first.entries.map((entry) => entry.target)).toEqual(['e1', 'e2']);
    const second = await audit(fixture.admin, `?after=${first.nextAfter}&limit=2`);
    expect(second.entries.map((entry) => entry.target)).toEqual(['e3']);
    expect(await audit(fixture.admin, `?after=${second.nextAfter}`)).toEqual({
      entries: [],
      nextAfter: second.nextAfter,
    });
    expect(await audit(fixture.otherAdmin)).toEqual({ entries: [], nextAfter: 0 });
    expectRefusal(await fixture.hq(fixture.viewer, 'GET', '/v1/hq/audit'), 403, 'forbidden');
    for (const query of ['?after=-1', '?limit=0', '?limit=1001', '?after=x', '?cursor=1']) {
      expectRefusal(await fixture.hq(fixture.admin, 'GET', `/v1/hq/audit${query}`), 400, 'invalid_request');
    }
  });
});
