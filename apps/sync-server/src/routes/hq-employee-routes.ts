import {
  API_PREFIX,
  type AuditPage,
  CreateEmployeeRequest,
  canonicalJson,
  createUuidV7Generator,
  EmployeeId,
  type EmployeeList,
  ResetPinRequest,
  UpdateEmployeeRequest,
  weakPinReason,
} from '@tillwright/protocol';
import { hashPin } from '@tillwright/protocol/pin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf, requireStaff, sha256Hex } from '../auth/auth.js';
import { ApiError } from '../errors.js';
import type { EmployeeRecord } from '../store/employees.js';
import type { RouteContext } from './context.js';
import { parseOrRefuse } from './validate.js';

const EmployeePath = z.strictObject({ employeeId: EmployeeId });
const AuditQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * A PIN anyone would try first, the employee's own number among them, is refused with words the person choosing it
 * can act on (never the PIN).
 */
function refuseWeakPin(pin: string, employeeNumber: string): void {
  const reason = weakPinReason(pin, { employeeNumber });
  if (reason) throw new ApiError(400, 'weak_pin', reason, false);
}

const notFound = (employeeId: string) =>
  new ApiError(404, 'not_found', `no employee ${employeeId} in this org`, false);

/**
 * Employees at HQ (issue #15) and the audit log. Admins write, viewers read employees (never a PIN or its hash);
 * everything is the session's org only, so another org's employee is a 404. A PIN is hashed here (scrypt, on the
 * bounded pool sign-ins use) before anything is stored; the PIN itself is never stored, logged or audited.
 */
export function hqEmployeeRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, now, limits } = context;
  const mintId = createUuidV7Generator();
  const staff = async (request: Parameters<typeof requireStaff>[1], role: 'viewer' | 'admin') => {
    const principal = await requireStaff(store, request, role, now());
    limits.hq.take(principal.staffId, now().getTime());
    return principal;
  };

  app.get(`${API_PREFIX}/hq/employees`, async (request): Promise<EmployeeList> => {
    const principal = await staff(request, 'viewer');
    return { employees: await store.employees(principal.orgId) };
  });

  app.get(`${API_PREFIX}/hq/employees/:employeeId`, async (request) => {
    const principal = await staff(request, 'viewer');
    const { employeeId } = parseOrRefuse(EmployeePath, request.params, 'path');
    const found = await store.employee(principal.orgId, employeeId);
    if (!found) throw notFound(employeeId);
    return found.view;
  });

  app.post(`${API_PREFIX}/hq/employees`, async (request, reply) => {
    const principal = await staff(request, 'admin');
    const { pin, ...body } = parseOrRefuse(CreateEmployeeRequest, request.body, 'employee');
    refuseWeakPin(pin, body.number);
    const employeeId = body.employeeId ?? mintId();
    const storeIds = [...body.storeIds].sort();
    // What makes a repeat "the same request": the id and everything but the PIN. A repeat answers the employee as
    // they stand whatever PIN it carries, so repeating a request never tells whether a PIN matches.
    const requestDigest = sha256Hex(canonicalJson({ ...body, employeeId, storeIds }));
    const repeat = (existing: EmployeeRecord) => {
      if (existing.requestDigest === requestDigest) return existing.view;
      throw new ApiError(
        409,
        'employee_exists',
        `employee ${employeeId} already exists with other details; change them with PATCH, or use a new id`,
        false,
        { employeeId },
      );
    };
    // Known before the slow hash, so a repeat costs none; the store looks again inside its transaction.
    const known = await store.employee(principal.orgId, employeeId);
    if (known) return repeat(known);
    const hash = await limits.passwordChecks.run(() => hashPin(pin));
    const outcome = await store.createEmployee(
      principal.orgId,
      { ...body, employeeId, storeIds, pin: hash, requestDigest },
      now().toISOString(),
      actorOf(principal),
    );
    return outcome.created ? reply.code(201).send(outcome.view) : repeat(outcome.existing);
  });

  app.patch(`${API_PREFIX}/hq/employees/:employeeId`, async (request) => {
    const principal = await staff(request, 'admin');
    const { employeeId } = parseOrRefuse(EmployeePath, request.params, 'path');
    const changes = parseOrRefuse(UpdateEmployeeRequest, request.body, 'employee change');
    return store.updateEmployee(
      principal.orgId,
      employeeId,
      changes,
      now().toISOString(),
      actorOf(principal),
    );
  });

  app.put(`${API_PREFIX}/hq/employees/:employeeId/pin`, async (request) => {
    const principal = await staff(request, 'admin');
    const { employeeId } = parseOrRefuse(EmployeePath, request.params, 'path');
    const { pin } = parseOrRefuse(ResetPinRequest, request.body, 'PIN reset');
    // Known before the slow hash, so a wrong id costs nothing; the store looks again inside its transaction.
    const current = await store.employee(principal.orgId, employeeId);
    if (!current) throw notFound(employeeId);
    refuseWeakPin(pin, current.view.number);
    const hash = await limits.passwordChecks.run(() => hashPin(pin));
    return store.resetEmployeePin(principal.orgId, employeeId, hash, now().toISOString(), actorOf(principal));
  });

  app.get(`${API_PREFIX}/hq/audit`, async (request): Promise<AuditPage> => {
    const principal = await staff(request, 'admin');
    const query = parseOrRefuse(AuditQuery, request.query, 'audit query');
    const entries = await store.auditLog(principal.orgId, query.after, query.limit);
    return { entries, nextAfter: entries.at(-1)?.id ?? query.after };
  });
}
