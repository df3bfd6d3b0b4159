import {
  type ConfigFeedItem,
  DEFAULT_TERMINAL_CONFIG,
  type Roles,
  readTerminalConfig,
  type TerminalConfig,
} from '@tillwright/protocol';
import { ApiError } from '../errors.js';

/**
 * Which roles are in force where (issue #15): at a store, the roles of the configuration its tills use, by the rule
 * they apply (the store's document, else the org's, else the defaults). An active employee's role must be in force at
 * every store they work in, so HQ can neither give an employee a role a store's tills do not know nor take away a
 * role that active employees still have.
 */
export interface ConfigSource {
  /** The latest config item for the whole org (`storeId` null) or for one store. */
  latestConfig(orgId: string, storeId: string | null): Promise<ConfigFeedItem | null>;
}

/** A configuration about to be put (or withdrawn, `config` null) for the org or a store, read as if in force. */
export interface PendingConfig {
  storeId: string | null;
  config: TerminalConfig | null;
}

/** An active employee's role and stores, as far as roles are concerned. */
export interface RoleHolder {
  number: string;
  roleId: string;
  storeIds: readonly string[];
}

/** The roles in force at each of the stores, with `pending` in place of the document it replaces. */
export async function rolesInForce(
  source: ConfigSource,
  orgId: string,
  storeIds: readonly string[],
  pending?: PendingConfig,
): Promise<Map<string, Roles>> {
  const documentOf = async (storeId: string | null) =>
    pending && pending.storeId === storeId
      ? pending.config
      : ((await source.latestConfig(orgId, storeId))?.config ?? null);
  const org = await documentOf(null);
  const rolesAt = new Map<string, Roles>();
  for (const storeId of storeIds) {
    const document = (await documentOf(storeId)) ?? org;
    const read = document === null ? null : readTerminalConfig(document);
    rolesAt.set(storeId, read?.ok ? read.config.roles : DEFAULT_TERMINAL_CONFIG.roles);
  }
  return rolesAt;
}

/** Each role an employee has that is not in force at a store they work in: the role, the store, their numbers. */
export function missingRoles(
  holders: readonly RoleHolder[],
  rolesAt: ReadonlyMap<string, Roles>,
): { roleId: string; storeId: string; employees: string[] }[] {
  const missing = new Map<string, { roleId: string; storeId: string; employees: string[] }>();
  for (const holder of holders) {
    for (const storeId of holder.storeIds) {
      if (Object.hasOwn(rolesAt.get(storeId) ?? {}, holder.roleId)) continue;
      const key = `${holder.roleId}\u0000${storeId}`;
      const entry = missing.get(key) ?? { roleId: holder.roleId, storeId, employees: [] };
      entry.employees.push(holder.number);
      missing.set(key, entry);
    }
  }
  return [...missing.values()];
}

/**
 * Refuses a configuration that would leave active employees with a role their store's tills do not know: 409
 * `roles_in_use`, listing each role, store and the employees' numbers.
 */
export async function refuseStrandedRoles(
  source: ConfigSource,
  orgId: string,
  holders: readonly RoleHolder[],
  pending: PendingConfig,
): Promise<void> {
  const stores = [...new Set(holders.flatMap((holder) => holder.storeIds))];
  const missing = missingRoles(holders, await rolesInForce(source, orgId, stores, pending));
  if (missing.length === 0) return;
  throw new ApiError(
    409,
    'roles_in_use',
    `active employees have roles this configuration leaves out: ${missing
      .map((m) => `${m.roleId} at ${m.storeId} (employees ${m.employees.join(', ')})`)
      .join('; ')}; give them another role first, or keep the role`,
    false,
    { missing },
  );
}
