// Use cases of security groups: list, show, create, update, delete, tags (neutron-api.md §4.1, §4.3, R1–R10).
import {
  ConflictError,
  InUseError,
  InvalidInputError,
  isCleanText,
  MAX_TAGS,
  NotFoundError,
  parseBoolean,
  parseGroupName,
  parseString,
  PreconditionFailedError,
  shown,
  type SecurityGroup,
  type SecurityGroupRule,
} from '../domain/index.js';
import { wantsField, type GroupListing, type ListQuery, type Page, type StoreSession } from '../store/index.js';
import { assertWritable, readerOf, targetProject } from './access-policy.js';
import { ensureDefaultGroup, ensureDefaultGroupIn, insertGroupWithRules } from './default-group.js';
import { canReadGroup, sharedGroupIds } from './group-sharing.js';
import { groupHasPorts } from './port-usage.js';
import { checkQuota } from './quota-service.js';
import { loadStartingTemplates, startingRules } from './starting-rules.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';

/** A group with its rules, as the API shows it. */
export interface SecurityGroupView {
  readonly group: SecurityGroup;
  readonly rules: readonly SecurityGroupRule[];
  /** Shared with the caller's project by an RBAC policy (Neutron's per-caller `shared`). */
  readonly shared: boolean;
}

export interface GroupDraft {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly stateful?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
}

/** Loads a group visible to the caller (its own, shared with it, or any for admin), or a NotFoundError. */
export async function loadVisibleGroup(
  ctx: RequestContext,
  session: StoreSession,
  id: string,
  notFound = () => new NotFoundError('SecurityGroupNotFound', `Security group ${id} does not exist`),
): Promise<SecurityGroup> {
  const [group] = await session.listGroups({ ids: [id] });
  if (!group || !(await canReadGroup(ctx, session, group))) throw notFound();
  return group;
}

export function checkRevision(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new PreconditionFailedError(
      'RevisionNumberConstraintFailed',
      `Constrained to ${expected}, but current revision is ${current}`,
    );
  }
}

/** Groups with their rules (read in one query per 500 groups); `withRules` false reads no rule at all. */
async function views(session: StoreSession, listed: readonly GroupListing[], withRules = true): Promise<SecurityGroupView[]> {
  const rules = withRules && listed.length > 0 ? await session.listRulesOfGroups(listed.map((l) => l.group.id)) : [];
  const byGroup = new Map<string, SecurityGroupRule[]>();
  for (const r of rules) {
    const list = byGroup.get(r.securityGroupId);
    if (list) list.push(r);
    else byGroup.set(r.securityGroupId, [r]);
  }
  return listed.map(({ group, shared }) => ({ group, rules: byGroup.get(group.id) ?? [], shared }));
}

function parseTags(value: unknown): string[] {
  const bad = () => InvalidInputError.of('HTTPBadRequest', 'Invalid input for operation: Invalid tags body.', 'tags');
  if (!Array.isArray(value)) throw bad();
  for (const tag of value) {
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > 255 || !isCleanText(tag)) {
      throw InvalidInputError.of('HTTPBadRequest', `Invalid input for operation: '${shown(tag)}' is not a valid tag.`, 'tags');
    }
  }
  if (new Set(value).size !== value.length) {
    throw InvalidInputError.of('HTTPBadRequest', 'Invalid input for operation: Duplicate tags in the list.', 'tags');
  }
  if (value.length > MAX_TAGS) {
    throw InvalidInputError.of(
      'HTTPBadRequest',
      `Invalid input for operation: The number of tags exceed the per-resource limit of ${MAX_TAGS}.`,
      'tags',
    );
  }
  return [...(value as string[])];
}

export function createSecurityGroupService(deps: ServiceDeps) {
  async function bump(uow: UnitOfWork, group: SecurityGroup, changes: Partial<SecurityGroup>): Promise<SecurityGroup> {
    const next = { ...group, ...changes, revisionNumber: group.revisionNumber + 1, updatedAt: uow.at };
    await uow.session.updateGroup(next);
    await uow.record('security_group', 'update', next.id, next.projectId, next);
    return next;
  }

  async function writableGroup(ctx: RequestContext, uow: UnitOfWork, id: string, expectedRevision?: number) {
    const group = await loadVisibleGroup(ctx, uow.session, id);
    assertWritable(ctx, group.projectId);
    checkRevision(group.revisionNumber, expectedRevision);
    return group;
  }

  return {
    /** One page of the groups the caller sees; an admin filtering by project first gets those projects' default groups. */
    async list(ctx: RequestContext, query: ListQuery): Promise<Page<SecurityGroupView>> {
      const projectFilter = query.filters.filter((f) => f.key === 'project_id' || f.key === 'tenant_id').flatMap((f) => f.values.map(String));
      const ensureFor = ctx.isAdmin && projectFilter.length > 0 ? projectFilter : [ctx.projectId];
      for (const p of ensureFor) await ensureDefaultGroup(deps, p);
      const page = await deps.store.listGroupPage(query, readerOf(ctx));
      return { ...page, items: await views(deps.store, page.items, wantsField(query, 'security_group_rules')) };
    },

    /** The group, without its rules, when the caller may see it; else the same 404 as `get`. */
    async find(ctx: RequestContext, id: string): Promise<SecurityGroup> {
      return loadVisibleGroup(ctx, deps.store, id);
    },

    async get(ctx: RequestContext, id: string): Promise<SecurityGroupView> {
      const group = await loadVisibleGroup(ctx, deps.store, id);
      const shared = (await sharedGroupIds(deps.store, ctx.projectId)).has(group.id);
      const [view] = await views(deps.store, [{ group, shared }]);
      return view!;
    },

    /** Creates one or many groups atomically, each with the rules of the templates used in non-default groups. */
    async create(ctx: RequestContext, drafts: readonly GroupDraft[]): Promise<SecurityGroupView[]> {
      const parsed = drafts.map((d) => ({
        projectId: targetProject(ctx, d.projectId, d.tenantId),
        name: d.name === undefined ? '' : parseGroupName(d.name),
        description: d.description === undefined ? '' : parseString(d.description, 'description'),
        stateful: d.stateful === undefined ? true : parseBoolean(d.stateful, 'stateful'),
      }));
      return inTransaction(deps, ctx, async (uow) => {
        const out: SecurityGroupView[] = [];
        for (const p of parsed) {
          await ensureDefaultGroupIn(deps, uow, p.projectId);
          const templates = await loadStartingTemplates(uow.session, 'non-default');
          await checkQuota(deps, uow.session, p.projectId, { security_group: 1, security_group_rule: templates.length });
          const group: SecurityGroup = {
            id: deps.newId(), ...p, isDefault: false, tags: [], revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
          };
          const specs = await startingRules(uow.session, templates, group.id);
          out.push({ group, rules: await insertGroupWithRules(deps, uow, group, specs), shared: false });
        }
        return out;
      });
    },

    async update(ctx: RequestContext, id: string, draft: GroupDraft, expectedRevision?: number): Promise<SecurityGroupView> {
      const changes: { name?: string; description?: string; stateful?: boolean } = {};
      if (draft.name !== undefined) changes.name = parseString(draft.name, 'name');
      if (draft.description !== undefined) changes.description = parseString(draft.description, 'description');
      if (draft.stateful !== undefined) changes.stateful = parseBoolean(draft.stateful, 'stateful');
      const group = await inTransaction(deps, ctx, async (uow) => {
        const group = await writableGroup(ctx, uow, id, expectedRevision);
        if (changes.name !== undefined) {
          if (group.isDefault) throw new ConflictError('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
          parseGroupName(changes.name);
        }
        if (changes.stateful !== undefined && changes.stateful !== group.stateful) {
          if (await groupHasPorts(uow.session, id)) throw new InUseError('SecurityGroupInUse', `Security Group ${id} in use.`);
        }
        return bump(uow, group, changes);
      });
      return this.get(ctx, group.id);
    },

    async delete(ctx: RequestContext, id: string, expectedRevision?: number): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const group = await writableGroup(ctx, uow, id, expectedRevision);
        if (await groupHasPorts(uow.session, id)) throw new InUseError('SecurityGroupInUse', `Security Group ${id} in use.`);
        if (group.isDefault && !ctx.isAdmin) {
          throw new ConflictError('SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
        }
        const own = await uow.session.listRules({ securityGroupIds: [id] });
        const referring = (await uow.session.listRules({ remoteGroupIds: [id] })).filter((r) => r.securityGroupId !== id);
        await uow.session.deleteGroup(id);
        for (const r of [...own, ...referring]) await uow.record('security_group_rule', 'delete', r.id, r.projectId, null, r);
        for (const groupId of new Set(referring.map((r) => r.securityGroupId))) {
          const [owner] = await uow.session.listGroups({ ids: [groupId] });
          if (owner) await bump(uow, owner, {});
        }
        await uow.record('security_group', 'delete', id, group.projectId, null);
      });
    },

    async getTags(ctx: RequestContext, id: string): Promise<readonly string[]> {
      return (await this.loadForTags(ctx, id)).tags;
    },

    async loadForTags(ctx: RequestContext, id: string): Promise<SecurityGroup> {
      return loadVisibleGroup(ctx, deps.store, id, () => new NotFoundError('TagResourceNotFound', `Resource ${id} could not be found.`));
    },

    /** Applies `edit` to the tag list; `body` is validated as the tags API requires. */
    async editTags(ctx: RequestContext, id: string, edit: (tags: readonly string[]) => readonly string[]): Promise<readonly string[]> {
      return inTransaction(deps, ctx, async (uow) => {
        const group = await loadVisibleGroup(ctx, uow.session, id, () => new NotFoundError('TagResourceNotFound', `Resource ${id} could not be found.`));
        assertWritable(ctx, group.projectId);
        const tags = parseTags(edit(group.tags));
        const sorted = [...tags].sort();
        if (sorted.join('\u0000') === [...group.tags].sort().join('\u0000')) return group.tags;
        await uow.session.setTags(id, sorted);
        return (await bump(uow, group, { tags: sorted })).tags;
      });
    },

    parseTags,
  };
}

export type SecurityGroupService = ReturnType<typeof createSecurityGroupService>;
