import {
  AuditPage,
  CatalogProduct,
  CatalogPullResponse,
  ConfigFeedItem,
  CreateEmployeeRequest,
  CreateReturnAuthorisationRequest,
  EmployeeList,
  EmployeeView,
  EnrolRequest,
  EnrolResponse,
  ErrorEnvelope,
  FeedPullResponse,
  HqEventsPage,
  HqPasswordChangeRequest,
  HqPasswordChangeResponse,
  HqPasswordResetRequest,
  HqSessionRequest,
  HqSessionResponse,
  NewEpochRequest,
  ProtocolVersions,
  PushBatchRequest,
  PushBatchResponse,
  PutTerminalConfigRequest,
  ResetPinRequest,
  ReturnAuthorisationFeedItem,
  TerminalSyncState,
  UpdateEmployeeRequest,
} from '@tillwright/protocol';
import { z } from 'zod';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth: 'none' | 'terminal' | 'hq' | 'metrics';
  body?: z.ZodType;
  response?: z.ZodType;
  /** The success status, when not 200. */
  status?: '201';
}

const OPERATIONS: Operation[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness: the process answers', auth: 'none' },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database answers (503 when it does not)',
    auth: 'none',
  },
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics, text exposition format; only with the metrics token (or on the separate metrics listener)',
    auth: 'metrics',
  },
  { method: 'get', path: '/v1/openapi.json', summary: 'This document', auth: 'none' },
  {
    method: 'post',
    path: '/v1/enrol',
    summary: 'Exchange a one-time code and a public key for a terminal identity',
    auth: 'none',
    body: EnrolRequest,
    response: EnrolResponse,
  },
  {
    method: 'post',
    path: '/v1/journal/batches',
    summary: 'Push the next batch of journal events',
    auth: 'terminal',
    body: PushBatchRequest,
    response: PushBatchResponse,
  },
  {
    method: 'get',
    path: '/v1/terminal/state',
    summary: 'What the server holds for the calling terminal: epoch, acknowledged seq and hash',
    auth: 'terminal',
    response: TerminalSyncState,
  },
  {
    method: 'get',
    path: '/v1/terminal/versions',
    summary: 'The event versions the server accepts and the feed and configuration versions it serves',
    auth: 'terminal',
    response: ProtocolVersions,
  },
  {
    method: 'post',
    path: '/v1/terminal/epochs',
    summary: 'Move the calling terminal to a new epoch (restored database, or re-enrolment); idempotent',
    auth: 'terminal',
    body: NewEpochRequest,
    response: TerminalSyncState,
  },
  {
    method: 'get',
    path: '/v1/catalog',
    summary:
      'Catalog changes after a version cursor; productSchema (1 default, 2) is the product shape the till parses: at 1 a product that is weighed, open-price or age-restricted comes inactive without those fields',
    auth: 'terminal',
    response: CatalogPullResponse,
  },
  {
    method: 'post',
    path: '/v1/hq/sessions',
    summary: 'Sign in as HQ staff',
    auth: 'none',
    body: HqSessionRequest,
    response: HqSessionResponse,
  },
  {
    method: 'delete',
    path: '/v1/hq/sessions/current',
    summary: 'Sign out: end the session this request carries, and its streams',
    auth: 'hq',
  },
  {
    method: 'post',
    path: '/v1/hq/password',
    summary: 'Change the own password (the current one is asked); ends every session of the user',
    auth: 'hq',
    body: HqPasswordChangeRequest,
    response: HqPasswordChangeResponse,
  },
  {
    method: 'put',
    path: '/v1/hq/staff/{staffId}/password',
    summary: "Reset a user's password (admin, own org); ends every session of that user",
    auth: 'hq',
    body: HqPasswordResetRequest,
  },
  {
    method: 'delete',
    path: '/v1/hq/staff/{staffId}/sessions',
    summary: "End every session of a user (own sessions, or an admin for the org's users)",
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/events',
    summary: 'Stored events after a stream offset, paged',
    auth: 'hq',
    response: HqEventsPage,
  },
  {
    method: 'get',
    path: '/v1/hq/stream',
    summary: 'Server-sent events in commit order; resume with Last-Event-ID',
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/terminals',
    summary: 'Terminals, their last acknowledged seq and how long since they were seen',
    auth: 'hq',
  },
  {
    method: 'post',
    path: '/v1/hq/terminals/{terminalId}/revoke',
    summary: 'Revoke a terminal (admin)',
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/exceptions',
    summary: 'Business exceptions raised by accepted events',
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/quarantine',
    summary: 'Events quarantined because their payload failed its schema',
    auth: 'hq',
  },
  {
    method: 'post',
    path: '/v1/hq/enrolment-codes',
    summary: 'Issue a one-time enrolment code for a store (admin)',
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/catalog/products/{productId}',
    summary:
      'A product as it stood at catalog version atVersion (query, required): its newest listing at or below it; 404 when it had none',
    auth: 'hq',
    response: CatalogProduct,
  },
  {
    method: 'get',
    path: '/v1/hq/stores/{storeId}/business-days/{day}',
    summary:
      "One business day's totals at a store (sales, voids, returns, net, per tender), cut in the store's time zone and day-start hour from its configuration; 404 for a store of another org",
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/shifts',
    summary:
      "The org's shifts, oldest opened first: store, till, who opened and closed, float, expected/counted/over-short per tender, sales (never training), voids, no-sales; filters storeId, terminalId, state=open|closed; paged by after (nextOffset) and limit (1-200)",
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/hq/shifts/{shiftId}',
    summary: "One shift of the org with its cash movements; 404 for none or another org's",
    auth: 'hq',
  },
  {
    method: 'put',
    path: '/v1/hq/catalog',
    summary: 'Import products, JSON or CSV, all or nothing (admin)',
    auth: 'hq',
  },
  {
    method: 'get',
    path: '/v1/feed',
    summary:
      "Terminal configuration, return authorisations and employees for the terminal's store after a version cursor",
    auth: 'terminal',
    response: FeedPullResponse,
  },
  {
    method: 'put',
    path: '/v1/hq/config',
    summary:
      'Set the terminal configuration of the org or of one store (admin); 409 roles_in_use when it leaves out a role active employees have',
    auth: 'hq',
    body: PutTerminalConfigRequest,
    response: ConfigFeedItem,
  },
  {
    method: 'post',
    path: '/v1/hq/return-authorisations',
    summary: 'Authorise a return at a store, reserving the quantity; idempotent by authorisationId (admin)',
    auth: 'hq',
    body: CreateReturnAuthorisationRequest,
    response: ReturnAuthorisationFeedItem,
  },
  {
    method: 'post',
    path: '/v1/hq/return-authorisations/{authorisationId}/cancel',
    summary: 'Cancel a return authorisation, releasing what it reserved (admin)',
    auth: 'hq',
    response: ReturnAuthorisationFeedItem,
  },
  {
    method: 'get',
    path: '/v1/hq/employees',
    summary: "The org's employees, active or not, by number (never a PIN or its hash)",
    auth: 'hq',
    response: EmployeeList,
  },
  {
    method: 'post',
    path: '/v1/hq/employees',
    summary:
      'Create an employee (admin): 201; the same request again 200; 409 employee_exists, employee_number_taken; 400 unknown_role, unknown_store, weak_pin',
    auth: 'hq',
    body: CreateEmployeeRequest,
    response: EmployeeView,
    status: '201',
  },
  {
    method: 'get',
    path: '/v1/hq/employees/{employeeId}',
    summary: 'An employee of the org; 404 otherwise',
    auth: 'hq',
    response: EmployeeView,
  },
  {
    method: 'patch',
    path: '/v1/hq/employees/{employeeId}',
    summary:
      "Change an employee's name, role, stores or active flag (admin); reaches the tills through the feed",
    auth: 'hq',
    body: UpdateEmployeeRequest,
    response: EmployeeView,
  },
  {
    method: 'put',
    path: '/v1/hq/employees/{employeeId}/pin',
    summary: "Reset an employee's PIN (admin); 400 weak_pin",
    auth: 'hq',
    body: ResetPinRequest,
    response: EmployeeView,
  },
  {
    method: 'get',
    path: '/v1/hq/audit',
    summary: "The org's audit log of admin actions after an id (after, limit), in id order (admin)",
    auth: 'hq',
    response: AuditPage,
  },
];

const schema = (type: z.ZodType) => z.toJSONSchema(type, { unrepresentable: 'any', io: 'input' });

const SECURITY_SCHEME = { terminal: 'terminalSignature', hq: 'hqSession', metrics: 'metricsToken' } as const;

/** The OpenAPI 3.1 description, generated from the same zod schemas the server validates with. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    const pathParameters = [...op.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(pathParameters.length > 0 ? { parameters: pathParameters } : {}),
      security: op.auth === 'none' ? [] : [{ [SECURITY_SCHEME[op.auth]]: [] }],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } }
        : {}),
      responses: {
        [op.status ?? '200']: op.response
          ? { description: 'OK', content: { 'application/json': { schema: schema(op.response) } } }
          : { description: 'OK' },
        default: {
          description: 'Error envelope',
          content: { 'application/json': { schema: schema(ErrorEnvelope) } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tillwright sync server', version: '1' },
    paths,
    components: {
      securitySchemes: {
        terminalSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'TW1-Ed25519 terminal=…, ts=…, nonce=…, sig=…',
        },
        hqSession: { type: 'http', scheme: 'bearer' },
        metricsToken: { type: 'http', scheme: 'bearer', description: "the server's metrics token" },
      },
    },
  };
}
