import type {
  CatalogProduct,
  CatalogPullResponse,
  HqStreamItem,
  PushBatchRequest,
  PushBatchResponse,
} from '@tillwright/protocol';

export interface TerminalPrincipal {
  orgId: string;
  storeId: string;
  terminalId: string;
  epoch: number;
}

export interface EnrolmentGrant extends TerminalPrincipal {}

/**
 * Everything the server keeps. One interface so the embedded SQLite store and the PostgreSQL store (issue #5)
 * answer the same test suite.
 */
export interface ServerStore {
  createOrg(orgId: string, name: string): Promise<void>;
  createStore(orgId: string, storeId: string, name: string): Promise<void>;
  /** Saves the hash of a one-time enrolment code for a store. */
  issueEnrolmentCode(orgId: string, storeId: string, codeHash: string, expiresAt: string): Promise<void>;
  /** Consumes a code and registers a new terminal holding the given credential hash. */
  enrolTerminal(input: {
    codeHash: string;
    terminalName: string;
    tokenHash: string;
    now: string;
  }): Promise<EnrolmentGrant>;
  terminalByTokenHash(tokenHash: string): Promise<TerminalPrincipal | null>;
  hqRoleByTokenHash(tokenHash: string): Promise<'viewer' | 'admin' | null>;
  addHqToken(tokenHash: string, role: 'viewer' | 'admin'): Promise<void>;
  /** Ingests one batch in one transaction, returning only after commit. Throws ApiError on refusal. */
  ingest(terminal: TerminalPrincipal, batch: PushBatchRequest, now: string): Promise<PushBatchResponse>;
  readStream(afterOffset: number, limit: number): Promise<HqStreamItem[]>;
  putCatalogProducts(orgId: string, products: Omit<CatalogProduct, 'version'>[]): Promise<number>;
  catalogAfter(orgId: string, afterVersion: number, limit: number): Promise<CatalogPullResponse>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
