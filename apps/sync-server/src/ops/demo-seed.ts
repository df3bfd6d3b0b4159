import { type CatalogProduct, canonicalJson } from '@tillwright/protocol';
import { hashPin } from '@tillwright/protocol/pin';
import { sha256Hex } from '../auth/auth.js';
import { hashPassword } from '../auth/passwords.js';
import type { ServerStore } from '../store/store.js';

export const DEMO_ORG_ID = 'demo-org';
export const DEMO_STORE_ID = 'store-001';

export const DEMO_CATALOG: Omit<CatalogProduct, 'version'>[] = [
  {
    productId: 'pen',
    sku: 'PEN-BLUE',
    name: 'Ballpoint pen, blue',
    barcodes: ['4006381333931'],
    currency: 'EUR',
    price: 250,
    taxCategory: 'standard',
    tags: ['stationery'],
    active: true,
  },
  {
    productId: 'notebook',
    sku: 'NB-A5',
    name: 'Notebook A5, ruled',
    barcodes: ['5901234123457'],
    currency: 'EUR',
    price: 499,
    taxCategory: 'standard',
    tags: ['stationery'],
    active: true,
  },
  {
    productId: 'coffee',
    sku: 'COF-250',
    name: 'Coffee beans 250 g',
    barcodes: ['8712345000011'],
    currency: 'EUR',
    price: 899,
    taxCategory: 'reduced',
    tags: ['grocery'],
    active: true,
  },
  {
    productId: 'mug',
    sku: 'MUG-WHT',
    name: 'Mug, white',
    barcodes: ['8712345000028'],
    currency: 'EUR',
    price: 750,
    taxCategory: 'standard',
    tags: ['kitchen'],
    active: true,
  },
  {
    productId: 'tote',
    sku: 'TOTE-01',
    name: 'Tote bag',
    barcodes: ['8712345000035'],
    currency: 'EUR',
    price: 1200,
    taxCategory: 'standard',
    tags: ['bags'],
    active: true,
  },
  {
    productId: 'cable',
    sku: 'USB-C-1M',
    name: 'USB-C cable 1 m',
    barcodes: ['8712345000042'],
    currency: 'EUR',
    price: 1499,
    taxCategory: 'standard',
    tags: ['electronics'],
    active: true,
  },
  {
    productId: 'battery',
    sku: 'BAT-AA-4',
    name: 'AA batteries, 4 pack',
    barcodes: ['8712345000059'],
    currency: 'EUR',
    price: 599,
    taxCategory: 'standard',
    tags: ['electronics'],
    active: true,
  },
];

/**
 * The demo store's employees, one of each default role, so a person can sign in at the demo till. Demo PINs, printed
 * in `npm start`'s banner: never use them for real people.
 */
export const DEMO_EMPLOYEES = [
  { employeeId: 'demo-alex', number: '1001', displayName: 'Alex Cashier', roleId: 'cashier', pin: '1357' },
  {
    employeeId: 'demo-sam',
    number: '2001',
    displayName: 'Sam Supervisor',
    roleId: 'supervisor',
    pin: '2468',
  },
  {
    employeeId: 'demo-morgan',
    number: '3001',
    displayName: 'Morgan Manager',
    roleId: 'manager',
    pin: '3579',
  },
] as const;

export interface DemoSeed {
  enrolmentCode: string;
  /** Password of the demo HQ admin, user name `admin`. */
  adminPassword: string;
  /** Seed DEMO_EMPLOYEES too (the default); the server's own tests leave them out. */
  employees?: boolean;
}

/**
 * Seeds the demo org, store, catalog, an enrolment code, an HQ admin and the demo employees (through the store's
 * employee writes, as HQ makes them: hashed PIN, feed entries, audit rows). Safe to run on every start.
 */
export async function seedDemo(store: ServerStore, seed: DemoSeed, now: Date): Promise<void> {
  await store.createOrg(DEMO_ORG_ID, 'Demo Retail');
  await store.createStore(DEMO_ORG_ID, DEMO_STORE_ID, 'Demo High Street');
  if ((await store.catalogVersion(DEMO_ORG_ID)) === 0)
    await store.putCatalogProducts(DEMO_ORG_ID, DEMO_CATALOG);
  const expiresAt = new Date(now.getTime() + 24 * 3600_000).toISOString();
  await store.issueEnrolmentCode(DEMO_ORG_ID, DEMO_STORE_ID, sha256Hex(seed.enrolmentCode), expiresAt);
  await store.createStaff({
    staffId: 'demo-admin',
    orgId: DEMO_ORG_ID,
    username: 'admin',
    passwordHash: await hashPassword(seed.adminPassword),
    role: 'admin',
  });
  if (seed.employees === false) return;
  for (const { pin, ...employee } of DEMO_EMPLOYEES) {
    if (await store.employee(DEMO_ORG_ID, employee.employeeId)) continue;
    const body = { ...employee, storeIds: [DEMO_STORE_ID] };
    await store.createEmployee(
      DEMO_ORG_ID,
      { ...body, pin: await hashPin(pin), requestDigest: sha256Hex(canonicalJson(body)) },
      now.toISOString(),
      { staffId: 'demo-admin', username: 'admin' },
    );
  }
}

/** The demo employees in a line for the start banner: number, name, role and PIN of each. */
export function describeDemoEmployees(): string {
  return DEMO_EMPLOYEES.map((e) => `${e.number} ${e.displayName} (${e.roleId}) PIN ${e.pin}`).join('; ');
}
