import { describe, expect, it } from 'vitest';
import { commandLineSecretWarnings, parseTerminalArgs } from './cli-options.js';

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
});
