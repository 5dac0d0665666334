// Which security groups RBAC policies share with a project (neutron-api.md §4.5, §12): read, use on ports, remote group.
import { RBAC_WILDCARD, type SecurityGroup } from '../domain/index.js';
import type { StoreSession } from '../store/index.js';
import { canRead } from './access-policy.js';
import type { RequestContext } from './request-context.js';

/** Ids of the groups shared with `projectId`, directly or through `*`. */
export async function sharedGroupIds(session: StoreSession, projectId: string): Promise<Set<string>> {
  const policies = await session.listRbacPolicies({ targetProjects: [projectId, RBAC_WILDCARD] });
  return new Set(policies.filter((p) => p.objectType === 'security_group' && p.action === 'access_as_shared').map((p) => p.objectId));
}

/** True when `projectId` owns the group or the group is shared with it. */
export async function canProjectUseGroup(session: StoreSession, group: SecurityGroup, projectId: string): Promise<boolean> {
  return group.projectId === projectId || (await sharedGroupIds(session, projectId)).has(group.id);
}

/** True when the caller may read the group: admin, its project, or a project it is shared with. */
export async function canReadGroup(ctx: RequestContext, session: StoreSession, group: SecurityGroup): Promise<boolean> {
  return canRead(ctx, group.projectId) || (await sharedGroupIds(session, ctx.projectId)).has(group.id);
}
