// RBAC policy rows: the rbac_policies table's queries, used by the Kysely session.
import type { Kysely } from 'kysely';
import { ConflictError, type RbacAction, type RbacObjectType, type RbacPolicy } from '../domain/index.js';
import type { Database, RbacPolicyTable } from './database-schema.js';
import { isUniqueViolation } from './driver-errors.js';
import type { RbacScope } from './store.js';

const NO_MATCH = '\u0001';
const emptySafe = (values: readonly string[]): readonly string[] => (values.length === 0 ? [NO_MATCH] : values);

function toRow(p: RbacPolicy): RbacPolicyTable {
  return { id: p.id, project_id: p.projectId, object_type: p.objectType, object_id: p.objectId, action: p.action, target_project: p.targetProject };
}

export function rbacPolicyFromRow(r: RbacPolicyTable): RbacPolicy {
  return {
    id: r.id, projectId: r.project_id, objectType: r.object_type as RbacObjectType, objectId: r.object_id,
    action: r.action as RbacAction, targetProject: r.target_project,
  };
}

async function duplicateAsConflict(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('DuplicateRbacPolicy', 'An RBAC policy already exists with those values.');
    throw e;
  }
}

export async function insertRbacPolicy(db: Kysely<Database>, policy: RbacPolicy): Promise<void> {
  await duplicateAsConflict(() => db.insertInto('rbac_policies').values(toRow(policy)).execute());
}

export async function updateRbacPolicy(db: Kysely<Database>, policy: RbacPolicy): Promise<void> {
  const { id, ...row } = toRow(policy);
  await duplicateAsConflict(() => db.updateTable('rbac_policies').set(row).where('id', '=', id).execute());
}

export async function deleteRbacPolicies(db: Kysely<Database>, by: { id?: string; objectId?: string }): Promise<void> {
  let q = db.deleteFrom('rbac_policies');
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.objectId !== undefined) q = q.where('object_id', '=', by.objectId);
  await q.execute();
}

export async function listRbacPolicies(db: Kysely<Database>, scope: RbacScope): Promise<RbacPolicy[]> {
  let q = db.selectFrom('rbac_policies').selectAll();
  if (scope.ids) q = q.where('id', 'in', emptySafe(scope.ids));
  if (scope.objectIds) q = q.where('object_id', 'in', emptySafe(scope.objectIds));
  if (scope.targetProjects) q = q.where('target_project', 'in', emptySafe(scope.targetProjects));
  const rows = await q.orderBy('id').execute();
  return rows.map(rbacPolicyFromRow);
}
