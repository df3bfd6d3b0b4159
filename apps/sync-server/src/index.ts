export { buildApp } from './app.js';
export { ApiError } from './errors.js';
export { DEMO_CATALOG, DEMO_EMPLOYEES, DEMO_ORG_ID, DEMO_STORE_ID, seedDemo } from './ops/demo-seed.js';
export { createStore } from './store/create-store.js';
export { PostgresStore } from './store/postgres-store.js';
export { SqliteStore } from './store/sqlite-store.js';
export type { ServerStore, TerminalPrincipal } from './store/store.js';
