import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CliUsageError, commandLineSecretWarnings, parseTerminalArgs } from './cli-options.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'host', 'cli.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('terminal command line', () => {
  it('takes the enrolment code from TILLWRIGHT_ENROLMENT_CODE, which keeps it out of the process list', () => {
    const server = ['--server', 'https://pos.example.com'];
    expect(parseTerminalArgs(server, {}).enrolmentCode).toBeNull();
    expect(parseTerminalArgs(server, { TILLWRIGHT_ENROLMENT_CODE: '7K2M-QX9D-4TFA' }).enrolmentCode).toBe(
      '7K2M-QX9D-4TFA',
    );
    expect(parseTerminalArgs(server, { TILLWRIGHT_ENROLMENT_CODE: '' }).enrolmentCode).toBeNull();
    expect(() => parseTerminalArgs(server, { TILLWRIGHT_ENROLMENT_CODE: 'abc' })).toThrow(/enrolmentCode/);
  });

  it('still takes --enrolment-code from a person at a shell, with a warning that every user can read it there', () => {
    const argv = ['--server', 'https://pos.example.com', '--enrolment-code', '7K2M-QX9D-4TFA'];
    expect(parseTerminalArgs(argv, {}).enrolmentCode).toBe('7K2M-QX9D-4TFA');
    for (const given of [argv, ['--enrolment-code=7K2M-QX9D-4TFA']]) {
      const warnings = commandLineSecretWarnings(given);
      expect(warnings).toEqual([expect.stringMatching(/--enrolment-code.*TILLWRIGHT_ENROLMENT_CODE/)]);
      expect(warnings.join('\n')).not.toContain('7K2M-QX9D-4TFA');
    }
    expect(commandLineSecretWarnings(['--server', 'https://pos.example.com'])).toEqual([]);
  });

  it('refuses plain http:// to a server that is not on this machine: sales and enrolment would cross the network in clear', () => {
    for (const server of [
      'http://pos.example.com',
      'http://10.0.0.5:8787',
      'http://192.168.1.20:8787/',
      'http://[fe80::1]:8787',
      'http://localhost.example.com:8787',
      'http://128.0.0.1:8787',
    ]) {
      expect(() => parseTerminalArgs(['--server', server], {}), server).toThrow(CliUsageError);
      expect(() => parseTerminalArgs(['--server', server], {}), server).toThrow(
        /plain http:\/\/.*https:\/\/.*--allow-insecure-http/s,
      );
      expect(parseTerminalArgs(['--server', server, '--allow-insecure-http'], {})).toMatchObject({
        server,
        allowInsecureHttp: true,
      });
    }
    for (const server of [
      'https://pos.example.com',
      'http://127.0.0.1:8787',
      'http://127.8.9.10:8787',
      'http://localhost:8787',
      'http://LOCALHOST:8787',
      'http://[::1]:8787',
    ]) {
      expect(parseTerminalArgs(['--server', server], {}), server).toMatchObject({ allowInsecureHttp: false });
    }
  });

  it('exits 2 with the reason when started with plain http:// to a remote server', async () => {
    const child = spawn(process.execPath, [CLI, '--server', 'http://pos.example.com:8787'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (exitCode) => resolve(exitCode)),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/plain http:\/\/.*--allow-insecure-http/s);
  });
});
