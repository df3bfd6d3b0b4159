import { describe, expect, it } from 'vitest';
import { EmployeeDisplayName } from './employees.js';
import { RoleName } from './permissions.js';

/** Names people read at the till: an employee's and a role's, one schema (printable.ts). */
describe.each([
  ['EmployeeDisplayName', EmployeeDisplayName],
  ['RoleName', RoleName],
] as const)('%s', (_name, schema) => {
  it.each([
    'Ada',
    'Zoë Ångström',
    '李小龙',
    "Ada O'Brien-King",
    'Ada 😀',
    'Shift lead (nights)',
    'محمد',
    'x',
  ])('takes %s', (name) => {
    expect(schema.safeParse(name).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['a space', ' '],
    ['no-break and ideographic spaces only', '\u00A0\u3000'],
    ['a zero-width space', '\u200B'],
    ['a byte order mark', '\uFEFF'],
    ['a right-to-left override before the name', '\u202Eecila'],
    ['a soft hyphen in the name', 'Ad\u00ADa'],
    ['a lone high surrogate', '\uD800'],
    ['a lone low surrogate inside a name', 'A\uDC00da'],
    ['a line separator', 'Ada\u2028King'],
    ['a control character', 'Bell\u0007'],
    ['only combining marks', '\u0301\u0301'],
  ])('refuses %s', (_what, name) => {
    expect(schema.safeParse(name).success).toBe(false);
  });
});
