import type { EmployeeView } from '@tillwright/protocol';
import { DEMO_EMPLOYEES } from '@tillwright/sync-server';
import type { Page } from 'playwright-core';
import { callHost, tillKnowsEmployee } from './observe.js';

/**
 * Employees for the end-to-end tests: the demo store's staff (seeded with the demo org, one of each default role), and
 * more set up as HQ sets them up (its admin API); signed in at the till as a person does, on the sign-in screen.
 * Tests that drive the host over its socket sign in with `signInAtTill` (observe.ts).
 */

export interface DemoEmployee {
  number: string;
  pin: string;
  displayName: string;
  roleId: string;
}

const [alex, sam, morgan] = DEMO_EMPLOYEES;
/** The demo store's cashier, supervisor and manager (DEFAULT_ROLES): the screenshots show their names. */
export const CASHIER = alex;
export const SUPERVISOR = sam;
export const MANAGER = morgan;
export const DEMO_STAFF: DemoEmployee[] = [CASHIER, SUPERVISOR, MANAGER];

/** One HQ admin request; waits as told when HQ's rate limit answers 429. Answers the status and the JSON body. */
export async function hqRequest(
  serverUrl: string,
  hqToken: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  for (;;) {
    const response = await fetch(`${serverUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${hqToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 429) {
      await new Promise((resolve) =>
        setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000),
      );
      continue;
    }
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}

/** HQ's answer when it is `status`, or a failure with what HQ said. */
async function expectHq(status: number, answer: Promise<{ status: number; body: unknown }>) {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`HQ answered ${got}, not ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Creates employees at HQ for the demo store (POST /v1/hq/employees, 201 each); answers them by number. */
export async function createEmployees(
  serverUrl: string,
  hqToken: string,
  employees: DemoEmployee[],
  storeIds = ['store-001'],
): Promise<Record<string, EmployeeView>> {
  const created: Record<string, EmployeeView> = {};
  for (const employee of employees) {
    created[employee.number] = (await expectHq(
      201,
      hqRequest(serverUrl, hqToken, 'POST', '/v1/hq/employees', { ...employee, storeIds }),
    )) as EmployeeView;
  }
  return created;
}

/** PATCH /v1/hq/employees/:id (e.g. `{ active: false }`). */
export async function updateEmployee(
  serverUrl: string,
  hqToken: string,
  employeeId: string,
  changes: Record<string, unknown>,
): Promise<EmployeeView> {
  return (await expectHq(
    200,
    hqRequest(serverUrl, hqToken, 'PATCH', `/v1/hq/employees/${employeeId}`, changes),
  )) as EmployeeView;
}

/** PUT /v1/hq/config for the whole org (version 3 fields: roles, autoLockSeconds, pinLockout; the rest default). */
export async function putTerminalConfig(serverUrl: string, hqToken: string, config: Record<string, unknown>) {
  await expectHq(200, hqRequest(serverUrl, hqToken, 'PUT', '/v1/hq/config', { config }));
}

/** The employee numbers the till offers to sign in now (its `session.employees`, from the feed it pulled). */
export async function tillEmployeeNumbers(terminalUrl: string): Promise<string[]> {
  const answer = await callHost(terminalUrl, 'session.employees', {});
  const employees = (answer.result?.employees ?? []) as { number: string }[];
  return employees.map((employee) => employee.number).sort();
}

/**
 * Waits until the till's feed has brought exactly these employees: its next pull after HQ changed them (about once
 * a minute). Asks every half second, each time over a new socket, as a page would.
 */
export async function tillHasEmployees(terminalUrl: string, employees: DemoEmployee[], timeoutMs = 90_000) {
  const wanted = JSON.stringify(employees.map((employee) => employee.number).sort());
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = JSON.stringify(await tillEmployeeNumbers(terminalUrl));
    if (seen === wanted) return;
    if (Date.now() > deadline) throw new Error(`the till offers employees ${seen}, not ${wanted}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** How long a person leaves between keys: far above the scanner guard's 40 ms, so typing is never a scan. */
const KEY_GAP_MS = 200;

/**
 * Signs in on the till's sign-in screen as a person does, once the till knows the employee (its feed pull brought
 * them): types the employee number, taps the PIN on the keypad, presses Enter; resolves once the screen shows the
 * employee signed in.
 */
export async function signIn(page: Page, number: string, pin: string): Promise<void> {
  await tillKnowsEmployee(`${new URL(page.url()).origin}/`, number);
  await enterCredentials(page, number, pin);
  await page.getByTestId('signed-in-employee').waitFor();
  await page.getByTestId('sign-in').waitFor({ state: 'detached' });
}

/** Types a number and taps a PIN on the sign-in screen and presses Enter, whatever the host answers. */
export async function enterCredentials(page: Page, number: string, pin: string): Promise<void> {
  await page.getByTestId('sign-in').waitFor();
  const numberField = page.getByTestId('employee-number');
  await numberField.click();
  await numberField.clear();
  await page.keyboard.type(number, { delay: KEY_GAP_MS });
  await page.getByTestId('pin').click();
  await tapPin(page, pin);
  await page.keyboard.press('Enter');
}

/** Taps a PIN on the on-screen keypad of the dialog or screen shown (`within`, default the page). */
export async function tapPin(page: Page, pin: string, within = page.locator('body')): Promise<void> {
  for (const digit of pin) await within.getByTestId(`key-${digit}`).click();
}
