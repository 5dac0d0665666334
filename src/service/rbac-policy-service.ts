// Use cases of RBAC policies: share a security group or an address group with a project or with all ('*') (neutron-api.md §4.5, §12).
import {
  ForbiddenError,
  InUseError,
  InvalidInputError,
  isSharedWith,
  NotFoundError,
  parseObjectId,
  parseRbacAction,
  parseRbacObjectType,
  parseRbacTarget,
  RBAC_WILDCARD,
  type RbacObjectType,
  type RbacPolicy,
} from '../domain/index.js';
import type { ListQuery, Page, StoreSession } from '../store/index.js';
import { assertWritable, readerOf, targetProject } from './access-policy.js';
import { canReadGroup } from './group-sharing.js';
import { addressGroupNotFound, visibleAddressGroup } from './address-group-service.js';
import { checkQuota } from './quota-service.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';
import { createAll, inTransaction, type UnitOfWork } from './unit-of-work.js';

export interface RbacDraft {
  readonly objectType?: unknown;
  readonly objectId?: unknown;
  readonly action?: unknown;
  readonly targetTenant?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
}

function required<T>(value: T | undefined, attribute: string): T {
  if (value === undefined) throw InvalidInputError.of('HTTPBadRequest', `Failed to parse request. Required attribute '${attribute}' not specified`, attribute);
  return value;
}

/** Wildcard sharing is for admins only (Neutron's `restrict_wildcard` policy). */
function checkTarget(ctx: RequestContext, target: string): void {
  if (target === RBAC_WILDCARD && !ctx.isAdmin) {
    throw new ForbiddenError('PolicyNotAuthorized', "(rule:create_rbac_policy and rule:create_rbac_policy:target_tenant) is disallowed by policy");
  }
}

function policyNotFound(id: string): NotFoundError {
  return new NotFoundError('RbacPolicyNotFound', `RBAC policy of type unknown with ID ${id} not found`);
}

/** Projects named in the in-use message: enough to act on, without reading every port of a widely used group. */
const LOSING_PROJECTS_SHOWN = 20;

/** The projects that lose access when `policy` goes and `remaining` stay: other than the owner, named by it (or any, for `*`). */
function losingScope(owner: string, policy: RbacPolicy, remaining: readonly RbacPolicy[]) {
  // Those still reached by another policy are left out (a remaining `*` was handled by the caller).
  const stillShared = remaining.filter((p) => p.action === 'access_as_shared').map((p) => p.targetProject);
  return {
    except: [owner, ...stillShared],
    ...(policy.targetProject !== RBAC_WILDCARD && { only: policy.targetProject }),
    limit: LOSING_PROJECTS_SHOWN,
  };
}

/** Refuses to take access away from a project whose ports use the group (RbacPolicyInUse). */
async function checkNoPortDependents(session: StoreSession, policy: RbacPolicy, remaining: readonly RbacPolicy[]): Promise<void> {
  const [group] = await session.listGroups({ ids: [policy.objectId] });
  if (!group || isSharedWith(remaining, RBAC_WILDCARD)) return;
  const losing = await session.projectsWithPortsInGroup(group.id, losingScope(group.projectId, policy, remaining));
  if (losing.length === 0) return;
  const projects = losing.join(', ');
  throw new InUseError(
    'RbacPolicyInUse',
    `RBAC policy on object ${group.id} cannot be removed because other objects depend on it.\nDetails: Security group ${group.id} in use by ports of project(s) ${projects}`,
  );
}

/** Neutron's check for address groups: no project losing access may own a rule naming the group (details name the target). */
async function checkNoRuleDependents(session: StoreSession, policy: RbacPolicy, remaining: readonly RbacPolicy[]): Promise<void> {
  const [group] = await session.listAddressGroups({ ids: [policy.objectId] });
  if (!group || isSharedWith(remaining, RBAC_WILDCARD)) return;
  const losing = await session.projectsWithRulesUsingAddressGroup(group.id, losingScope(group.projectId, policy, remaining));
  if (losing.length === 0) return;
  throw new InUseError(
    'RbacPolicyInUse',
    `RBAC policy on object ${group.id} cannot be removed because other objects depend on it.\nDetails: project_id=${policy.targetProject}`,
  );
}

function checkNoDependents(session: StoreSession, policy: RbacPolicy, remaining: readonly RbacPolicy[]): Promise<void> {
  return policy.objectType === 'address_group' ? checkNoRuleDependents(session, policy, remaining) : checkNoPortDependents(session, policy, remaining);
}

/** The shared object's owner, when the caller may see the object; 404 in the object's own words otherwise. */
async function ownerOfObject(ctx: RequestContext, session: StoreSession, type: RbacObjectType, id: string): Promise<string> {
  if (type === 'address_group') {
    return (await visibleAddressGroup(ctx, session, id).catch(() => { throw addressGroupNotFound(id); })).projectId;
  }
  const [group] = await session.listGroups({ ids: [id] });
  if (!group || !(await canReadGroup(ctx, session, group))) throw new NotFoundError('SecurityGroupNotFound', `Security group ${id} does not exist`);
  return group.projectId;
}

export function createRbacPolicyService(deps: ServiceDeps) {
  async function loadVisible(ctx: RequestContext, session: StoreSession, id: string): Promise<RbacPolicy> {
    const [policy] = await session.listRbacPolicies({ ids: [id] });
    if (!policy || !(ctx.isAdmin || policy.projectId === ctx.projectId)) throw policyNotFound(id);
    return policy;
  }

  async function othersOn(session: StoreSession, policy: RbacPolicy): Promise<RbacPolicy[]> {
    return (await session.listRbacPolicies({ objectIds: [policy.objectId] })).filter((p) => p.id !== policy.id);
  }

  async function createIn(ctx: RequestContext, uow: UnitOfWork, d: RbacDraft): Promise<RbacPolicy> {
    const session = uow.session;
    const projectId = targetProject(ctx, d.projectId, d.tenantId);
    const objectType = parseRbacObjectType(required(d.objectType, 'object_type'));
    const objectId = parseObjectId(required(d.objectId, 'object_id'));
    const action = parseRbacAction(objectType, required(d.action, 'action'));
    const target = parseRbacTarget(required(d.targetTenant, 'target_tenant'));
    checkTarget(ctx, target);
    const owner = await ownerOfObject(ctx, session, objectType, objectId);
    if (!ctx.isAdmin && owner !== ctx.projectId) {
      throw InvalidInputError.of('InvalidInput', 'Invalid input for operation: Only admins can manipulate policies on objects they do not own.', 'object_id');
    }
    const policy: RbacPolicy = { id: deps.newId(), projectId, objectType, objectId, action, targetProject: target };
    await checkQuota(deps, session, projectId, { rbac_policy: 1 });
    await session.insertRbacPolicy(policy);
    // Sharing changes who may use the group: it belongs in the group's history.
    await uow.record('rbac_policy', 'create', policy.id, policy.projectId, policy);
    return policy;
  }

  return {
    /** The caller's own policies (admin: all); a target project does not see policies that share with it. */
    /** One page of the policies the caller's project owns (admin: every policy). */
    async list(ctx: RequestContext, query: ListQuery): Promise<Page<RbacPolicy>> {
      return deps.store.listRbacPolicyPage(query, readerOf(ctx));
    },

    async get(ctx: RequestContext, id: string): Promise<RbacPolicy> {
      return loadVisible(ctx, deps.store, id);
    },

    /** Creates policies atomically: all of them, or none. */
    async create(ctx: RequestContext, drafts: readonly RbacDraft[]): Promise<RbacPolicy[]> {
      return createAll(deps, ctx, drafts, (uow, d) => createIn(ctx, uow, d));
    },

    /** Only the target can change; projects that lose access must not be using the group. */
    async update(ctx: RequestContext, id: string, targetTenant: unknown): Promise<RbacPolicy> {
      return inTransaction(deps, ctx, async (uow) => {
        const policy = await loadVisible(ctx, uow.session, id);
        assertWritable(ctx, policy.projectId);
        if (targetTenant === undefined) return policy;
        const target = parseRbacTarget(targetTenant);
        checkTarget(ctx, target);
        if (target === policy.targetProject) return policy;
        const next = { ...policy, targetProject: target };
        await checkNoDependents(uow.session, policy, [...(await othersOn(uow.session, policy)), next]);
        await uow.session.updateRbacPolicy(next);
        await uow.record('rbac_policy', 'update', next.id, next.projectId, next);
        return next;
      });
    },

    async delete(ctx: RequestContext, id: string): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const policy = await loadVisible(ctx, uow.session, id);
        assertWritable(ctx, policy.projectId);
        await checkNoDependents(uow.session, policy, await othersOn(uow.session, policy));
        await uow.session.deleteRbacPolicy(id);
        await uow.record('rbac_policy', 'delete', id, policy.projectId, null, policy);
      });
    },
  };
}

export type RbacPolicyService = ReturnType<typeof createRbacPolicyService>;
