import { describe, expect, it } from 'vitest';
import { CliUsageError, commandLineSecretWarnings, parseServerArgs } from './cli-options.js';

describe('server command line', () => {
  it('defaults to a SQLite file in the data folder and info-level structured logs', () => {
    expect(parseServerArgs([], {})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      logLevel: 'info',
      demo: false,
      maxIngest: 16,
      ingestQueue: 64,
      ingestMaxWait: 5,
      addressRate: 500,
      addressBurst: 1000,
      terminalRate: 100,
      terminalBurst: 200,
    });
  });

  it('takes the ingest bound, the per-address limit (for a load test from one address) and the per-terminal limit', () => {
    expect(
      parseServerArgs(['--max-ingest', '64', '--address-rate', '20000', '--address-burst', '40000'], {}),
    ).toMatchObject({ maxIngest: 64, addressRate: 20000, addressBurst: 40000 });
    expect(
      parseServerArgs(['--max-ingest', '8', '--ingest-queue', '0', '--ingest-max-wait', '2.5'], {}),
    ).toMatchObject({ maxIngest: 8, ingestQueue: 0, ingestMaxWait: 2.5 });
    expect(parseServerArgs(['--terminal-rate', '50', '--terminal-burst', '80'], {})).toMatchObject({
      terminalRate: 50,
      terminalBurst: 80,
    });
    expect(parseServerArgs(['--address-rate', '0.5'], {}).addressRate).toBe(0.5);
  });

  it('refuses an ingest bound or a limit that would switch the protection off or make no sense', () => {
    expect(() => parseServerArgs(['--max-ingest', '0'], {})).toThrow(/maxIngest/);
    expect(() => parseServerArgs(['--max-ingest', '2.5'], {})).toThrow(/maxIngest/);
    expect(() => parseServerArgs(['--max-ingest', 'many'], {})).toThrow(/maxIngest/);
    expect(() => parseServerArgs(['--ingest-queue', '-1'], {})).toThrow();
    expect(() => parseServerArgs(['--ingest-queue=-1'], {})).toThrow(/ingestQueue/);
    expect(() => parseServerArgs(['--ingest-max-wait', '0'], {})).toThrow(/ingestMaxWait/);
    expect(() => parseServerArgs(['--address-rate', '0'], {})).toThrow(/addressRate/);
    expect(() => parseServerArgs(['--address-rate=-5'], {})).toThrow(/addressRate/);
    expect(() => parseServerArgs(['--address-burst', '0'], {})).toThrow(/addressBurst/);
    expect(() => parseServerArgs(['--address-burst', ''], {})).toThrow(/addressBurst/);
    expect(() => parseServerArgs(['--terminal-rate', '0'], {})).toThrow(/terminalRate/);
    expect(() => parseServerArgs(['--terminal-burst', '0.5'], {})).toThrow(/terminalBurst/);
    expect(() => parseServerArgs(['--max-ingest', '0'], {})).toThrow(/usage: tillwright-sync-server/);
  });

  it('takes the per-address and per-terminal ingest places, the body pace, timeouts, proxies and the metrics token', () => {
    expect(parseServerArgs([], {})).toMatchObject({
      ingestPerAddress: 8,
      ingestPerTerminal: 2,
      bodyFirstByte: 5,
      bodyMinRate: 4096,
      connectionsPerAddress: 256,
      requestTimeout: 120,
      metricsHost: '127.0.0.1',
    });
    expect(parseServerArgs([], {}).metricsToken).toBeUndefined();
    expect(parseServerArgs([], {}).trustProxy).toBeUndefined();
    expect(
      parseServerArgs(
        [
          '--ingest-per-address',
          '40',
          '--ingest-per-terminal',
          '1',
          '--body-first-byte',
          '2',
          '--body-min-rate',
          '1000',
          '--connections-per-address',
          '0',
          '--request-timeout',
          '30',
          '--trust-proxy',
          '10.0.0.0/8,loopback',
          '--metrics-port',
          '9464',
          '--metrics-host',
          '10.1.2.3',
        ],
        { TILLWRIGHT_METRICS_TOKEN: 'a-metrics-token-of-some-length' },
      ),
    ).toMatchObject({
      ingestPerAddress: 40,
      ingestPerTerminal: 1,
      bodyFirstByte: 2,
      bodyMinRate: 1000,
      connectionsPerAddress: 0,
      requestTimeout: 30,
      trustProxy: '10.0.0.0/8,loopback',
      metricsPort: 9464,
      metricsHost: '10.1.2.3',
      metricsToken: 'a-metrics-token-of-some-length',
    });
    expect(() => parseServerArgs(['--ingest-per-address', '0'], {})).toThrow(/ingestPerAddress/);
    expect(() => parseServerArgs(['--body-min-rate', '0'], {})).toThrow(/bodyMinRate/);
    expect(() => parseServerArgs(['--metrics-token', 'short'], {})).toThrow(/metricsToken/);
    expect(() => parseServerArgs(['--trust-proxy', 'true'], {})).toThrow(/trustProxy: name the proxies/);
  });

  it('takes a PostgreSQL URL from --db or TILLWRIGHT_DB, and the log level', () => {
    expect(parseServerArgs(['--db', 'postgres://u@127.0.0.1/pos', '--log-level', 'warn'], {})).toMatchObject({
      db: 'postgres://u@127.0.0.1/pos',
      logLevel: 'warn',
    });
    expect(parseServerArgs([], { TILLWRIGHT_DB: 'postgresql://u@127.0.0.1/pos' }).db).toBe(
      'postgresql://u@127.0.0.1/pos',
    );
  });

  it('refuses unknown options, bad ports and bad log levels with the usage text', () => {
    expect(() => parseServerArgs(['--bogus'], {})).toThrow(CliUsageError);
    expect(() => parseServerArgs(['--port', '70000'], {})).toThrow(/port/);
    expect(() => parseServerArgs(['--log-level', 'chatty'], {})).toThrow(/logLevel/);
    expect(() => parseServerArgs(['--bogus'], {})).toThrow(/usage: tillwright-sync-server/);
  });

  it('takes a known demo enrolment code only from TILLWRIGHT_DEMO_ENROLMENT_CODE, never from the command line', () => {
    expect(parseServerArgs(['--demo'], {}).demoEnrolmentCode).toBeUndefined();
    expect(
      parseServerArgs(['--demo'], { TILLWRIGHT_DEMO_ENROLMENT_CODE: 'TEST-ENROL-0001' }).demoEnrolmentCode,
    ).toBe('TEST-ENROL-0001');
    expect(() => parseServerArgs(['--demo', '--demo-enrolment-code', 'TEST-ENROL-0001'], {})).toThrow(
      CliUsageError,
    );
  });

  it('takes the admin password from TILLWRIGHT_ADMIN_PASSWORD, and warns that one on the command line is visible to every user', () => {
    expect(parseServerArgs([], { TILLWRIGHT_ADMIN_PASSWORD: 'from-the-env-1' }).adminPassword).toBe(
      'from-the-env-1',
    );
    expect(commandLineSecretWarnings(['--demo', '--port', '0'])).toEqual([]);
    for (const argv of [['--admin-password', 'on-the-line-1'], ['--admin-password=on-the-line-1']]) {
      const warnings = commandLineSecretWarnings(argv);
      expect(warnings).toEqual([expect.stringMatching(/--admin-password.*TILLWRIGHT_ADMIN_PASSWORD/)]);
      expect(warnings.join('\n')).not.toContain('on-the-line-1');
    }
    expect(commandLineSecretWarnings(['--db', 'postgres://pos:s3cret@db.internal/pos'])).toEqual([
      expect.stringMatching(/--db.*TILLWRIGHT_DB/),
    ]);
    expect(commandLineSecretWarnings(['--db', 'postgres://pos@db.internal/pos'])).toEqual([]);
  });
});
