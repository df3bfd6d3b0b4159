import { DEFAULT_ROLES, TerminalConfig } from '@tillwright/protocol';
import { hashPin } from '@tillwright/protocol/pin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, FIXED_NOW, openTestStore, type TestStore, useBackend } from '../test-support.js';
import type { NewEmployee } from './employees.js';

const ORG = 'org-a';
const STORE = 'store-a';
const actor = { staffId: 'demo-admin', username: 'admin' };
const now = FIXED_NOW.toISOString();

/**
 * Employee writes and configuration writes of one org queue on the org's row (feed-tx.ts `lockOrg`), so the check
 * each makes against the other holds until it commits. At the store, without the route's PIN hashing in front (which
 * takes tens of milliseconds before the transaction and so would decide every race before it starts).
 */
describe.each(BACKENDS)('employee and configuration writes of one org, on %s', (backend) => {
  useBackend(backend);
  let opened: TestStore;

  beforeEach(async () => {
    opened = await openTestStore(backend);
    await opened.store.createOrg(ORG, 'Org A');
    await opened.store.createStore(ORG, STORE, 'Store A');
  });
  afterEach(() => opened.close());

  it('never leave both a role taken away and an employee given it, when the two race', async () => {
    const { store } = opened;
    const { cashier: _cashier, ...withoutCashier } = DEFAULT_ROLES;
    const pin = await hashPin('2468', { N: 1024 });
    const cashier = (round: number): NewEmployee => ({
      employeeId: `e${round}`,
      number: `${round + 10}`,
      displayName: 'Ada',
      roleId: 'cashier',
      storeIds: [STORE],
      pin,
      requestDigest: 'digest',
    });
    const outcomes: string[] = [];
    for (let round = 0; round < 20; round++) {
      const [config, employee] = await Promise.allSettled([
        store.putTerminalConfig(ORG, null, TerminalConfig.parse({ roles: withoutCashier }), now, actor),
        store.createEmployee(ORG, cashier(round), now, actor),
      ]);
      // Exactly one wins: the role goes (and the cashier is refused), or the cashier comes (and the role stays).
      outcomes.push(`${config.status}/${employee.status}`);
      if (employee.status === 'fulfilled')
        await store.updateEmployee(ORG, `e${round}`, { active: false }, now, actor);
      await store.putTerminalConfig(ORG, null, TerminalConfig.parse({}), now, actor);
    }
    expect(
      outcomes.filter((outcome) => !['fulfilled/rejected', 'rejected/fulfilled'].includes(outcome)),
    ).toEqual([]);
  });
});
