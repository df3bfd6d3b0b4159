import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, type TestServer, useBackend } from '../test-support.js';
import { employeeFixture, expectRefusal, newEmployee } from '../testing/employees.js';
import { startServerKeepingEverything } from '../testing/store-contents.js';

/** PINs only this file uses (8 digits, so they turn up nowhere by chance), each set through HQ once. */
const PINS = { created: '86420975', reset: '31975308', refused: '55512345', retried: '70314682' } as const;

describe.each(BACKENDS)('employee PINs on %s', (backend) => {
  useBackend(backend);
  let opened: Awaited<ReturnType<typeof startServerKeepingEverything>>;
  let server: TestServer;
  let logs: string[];

  beforeEach(async () => {
    opened = await startServerKeepingEverything(backend);
    ({ server, logs } = opened);
  });
  afterEach(() => server.close());

  it('are never stored, logged or shown in the clear: only their scrypt hash is kept', async () => {
    const { admin, hq } = await employeeFixture(server);
    const create = (body: Record<string, unknown>) => hq(admin, 'POST', '/v1/hq/employees', body);
    expect((await create(newEmployee({ employeeId: 'ada', pin: PINS.created }))).statusCode).toBe(201);
    // A repeat with another PIN answers the employee, its PIN ignored; a taken number is refused after the PIN
    // was hashed.
    expect((await create(newEmployee({ employeeId: 'ada', pin: PINS.retried }))).statusCode).toBe(200);
    expectRefusal(await create(newEmployee({ pin: PINS.refused })), 409, 'employee_number_taken');
    const reset = await hq(admin, 'PUT', '/v1/hq/employees/ada/pin', { pin: PINS.reset });
    expect(reset.statusCode, reset.body).toBe(200);

    const answers = JSON.stringify([
      (await hq(admin, 'GET', '/v1/hq/employees')).json(),
      (await hq(admin, 'GET', '/v1/hq/audit')).json(),
      reset.json(),
    ]);
    const stored = await opened.contents();
    const logged = logs.join('');
    expect(logged).toContain('/v1/hq/employees');
    for (const pin of Object.values(PINS)) {
      expect(stored.includes(pin), `database holds ${pin}`).toBe(false);
      expect(logged.includes(pin), `log holds ${pin}`).toBe(false);
      expect(answers.includes(pin), `HQ shows ${pin}`).toBe(false);
    }
    // What is kept instead: the hash, with its parameters.
    const { pin } = (await server.store.employee(server.orgId, 'ada'))!;
    expect(pin).toMatchObject({ algorithm: 'scrypt', N: 16384, r: 8, p: 1, keyLength: 32 });
    expect(stored).toContain(pin.hash);
  });
});
