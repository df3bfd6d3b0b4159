import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTerminalArgs } from '../host/cli-options.js';
import { ConfigError, readHostLaunch } from './config.js';

let userData: string;
beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'tillwright-electron-'));
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

const writeConfig = (config: unknown) => writeFileSync(join(userData, 'config.json'), JSON.stringify(config));

describe('the Electron terminal configuration', () => {
  it('hands the enrolment code to the host process in its environment, never on its command line', () => {
    writeConfig({ server: 'https://pos.example.com', enrolmentCode: '7K2M-QX9D-4TFA', simulators: true });
    const launch = readHostLaunch(userData);
    expect(launch.args.join(' ')).not.toContain('7K2M-QX9D-4TFA');
    expect(launch.env).toEqual({ TILLWRIGHT_ENROLMENT_CODE: '7K2M-QX9D-4TFA' });
    expect(parseTerminalArgs(launch.args, launch.env)).toMatchObject({
      server: 'https://pos.example.com',
      enrolmentCode: '7K2M-QX9D-4TFA',
      simulators: true,
      dataDir: join(userData, 'terminal'),
    });
  });

  it('refuses plain http:// to a remote server unless allowInsecureHttp says so', () => {
    writeConfig({ server: 'http://pos.example.com:8787' });
    expect(() => readHostLaunch(userData)).toThrow(ConfigError);
    expect(() => readHostLaunch(userData)).toThrow(/plain http:\/\/.*allowInsecureHttp/s);

    writeConfig({ server: 'http://pos.example.com:8787', allowInsecureHttp: true });
    const launch = readHostLaunch(userData);
    expect(parseTerminalArgs(launch.args, launch.env)).toMatchObject({
      server: 'http://pos.example.com:8787',
      allowInsecureHttp: true,
    });

    writeConfig({ server: 'http://127.0.0.1:8787' });
    expect(parseTerminalArgs(readHostLaunch(userData).args, {}).allowInsecureHttp).toBe(false);
  });
});
