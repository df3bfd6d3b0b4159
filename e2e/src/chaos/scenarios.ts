import type { ChaosOptions } from './runner.js';

type Scenario = Omit<ChaosOptions, 'workDir' | 'log'>;

const EVERY_NETWORK_FAULT: ChaosOptions['networkFaults'] = {
  pass: 3,
  drop: 1,
  reset: 1,
  truncate: 1,
  duplicate: 1,
  'lose-response': 2,
  delay: 1,
};

/** The run inside `npm test`: every fault at least once, in well under a minute. */
export const BOUNDED_RUN: Scenario = {
  terminals: 3,
  rounds: 40,
  seed: 20261125,
  networkFaults: EVERY_NETWORK_FAULT,
  serverKills: 2,
  terminalKills: 2,
  partitionMs: 5_000,
  downMs: 500,
  drainTimeoutMs: 60_000,
};

/** `npm run chaos`: more tills, more sales, more kills and a longer partition. */
export const FULL_RUN: Scenario = {
  terminals: 5,
  rounds: 300,
  seed: 20261125,
  networkFaults: EVERY_NETWORK_FAULT,
  serverKills: 6,
  terminalKills: 6,
  partitionMs: 60_000,
  downMs: 1_500,
  drainTimeoutMs: 180_000,
};

/**
 * The same harness against a server without its duplicate check: answers lost after commit and duplicated requests
 * make it store sales twice, and the checker must say so.
 */
export const NEGATIVE_CONTROL: Scenario = {
  terminals: 2,
  rounds: 30,
  seed: 20261125,
  networkFaults: { pass: 2, duplicate: 1, 'lose-response': 1 },
  serverKills: 0,
  terminalKills: 0,
  partitionMs: 0,
  downMs: 0,
  drainTimeoutMs: 30_000,
  serverScript: 'apps/sync-server/dist/testing/unchecked-server-cli.js',
};
