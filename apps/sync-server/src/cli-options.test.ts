import { describe, expect, it } from 'vitest';
import { CliUsageError, parseServerArgs } from './cli-options.js';

describe('server command line', () => {
  it('defaults to a SQLite file in the data folder and info-level structured logs', () => {
    expect(parseServerArgs([], {})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      logLevel: 'info',
      demo: false,
    });
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
});
