// Whole rule sets in one transaction: copy a group with its rules, and make groups hold exactly a given set of rules (import).
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  parseGroupName,
  parseRuleSpec,
  parseString,
  ruleIdentity,
  type RuleDraft,
  type RuleSpec,
  type SecurityGroup,
  type SecurityGroupRule,
} from '../domain/index.js';
import type { StoreSession } from '../store/index.js';
import { assertWritable, targetProject } from './access-policy.js';
import { ensureDefaultGroupIn, insertGroupWithRules } from './default-group.js';
import { canProjectUseGroup } from './group-sharing.js';
import { checkQuota } from './quota-service.js';
import type { RequestContext } from './request-context.js';
import { checkRemoteAddressGroup } from './security-group-rule-service.js';
import { loadVisibleGroup, type SecurityGroupView } from './security-group-service.js';
import type { ServiceDeps } from './service-deps.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';

export interface CopyDraft {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly projectId?: unknown;
}

/** A rule of a rule set: a remote group by id, or by name (a group of the same set, else of the target project). */
export interface RuleSetRuleDraft extends RuleDraft {
  readonly remoteGroupName?: unknown;
}

/** The group a set is for: by id, else by name in the caller's project (created when no group has that name). */
export interface RuleSetDraft {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly description?: unknown;
  readonly rules: readonly RuleSetRuleDraft[];
}

export type RuleSetAction = 'create' | 'update' | 'unchanged';

/** What applying a set does (or, in a dry run, would do) to one group. */
export interface RuleSetOutcome {
  /** A group a dry run would create has an id here, but it is not kept. */
  readonly id: string;
  readonly name: string;
  readonly action: RuleSetAction;
  readonly created: readonly RuleSpec[];
  readonly deleted: readonly SecurityGroupRule[];
  readonly unchanged: readonly SecurityGroupRule[];
}

/** Thrown inside a dry run's transaction to roll it back while carrying the plan out. */
class DryRunRollback extends Error {
  constructor(readonly outcomes: RuleSetOutcome[]) {
    super('dry run');
  }
}

const MAX_NAME = 255;

function copyName(source: SecurityGroup): string {
  const suffix = ' (copy)';
  return `${source.name.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}

/** Description included: re-importing a rule whose description changed replaces it (rules are immutable). */
function setKey(groupId: string, spec: RuleSpec): string {
  return `${ruleIdentity(groupId, spec)}\u0000${spec.description}`;
}

export function createRuleSetService(deps: ServiceDeps) {
  /** A remote group other than the rule's own must be usable by the project the rule is written in. */
  async function checkRemote(ctx: RequestContext, session: StoreSession, projectId: string, remoteId: string): Promise<void> {
    const [remote] = await session.listGroups({ ids: [remoteId] });
    if (!remote || (!ctx.isAdmin && !(await canProjectUseGroup(session, remote, projectId)))) {
      throw new NotFoundError('SecurityGroupNotFound', `Security group ${remoteId} does not exist`);
    }
  }

  async function insertRules(uow: UnitOfWork, group: SecurityGroup, specs: readonly RuleSpec[]): Promise<void> {
    if (specs.length === 0) return;
    const rules: SecurityGroupRule[] = specs.map((spec) => ({
      ...spec, id: deps.newId(), securityGroupId: group.id, projectId: group.projectId, revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
    }));
    await uow.session.insertRules(rules, rules.map((r) => ruleIdentity(group.id, r)));
    for (const r of rules) await uow.record('security_group_rule', 'create', r.id, r.projectId, r);
  }

  /** Groups of the project with exactly this name (the default group answers to `default`); found in SQL. */
  async function groupsNamed(session: StoreSession, projectId: string, name: string): Promise<SecurityGroup[]> {
    if (name.toLowerCase() === 'default') {
      const id = await session.findDefaultGroupId(projectId);
      return id ? session.listGroups({ ids: [id] }) : [];
    }
    const page = await session.listGroupPage(
      { filters: [{ key: 'name', values: [name] }, { key: 'project_id', values: [projectId] }], sorts: [], limit: 2, reverse: false, fields: ['id'] },
      { projectId, admin: false },
    );
    return page.items.map((l) => l.group);
  }

  function ambiguous(name: string): ConflictError {
    return new ConflictError('SecurityGroupNameAmbiguous', `More than one security group is named '${name}'; name it by id.`);
  }

  async function applyAll(ctx: RequestContext, uow: UnitOfWork, drafts: readonly RuleSetDraft[]): Promise<RuleSetOutcome[]> {
    const projectId = ctx.projectId;
    assertWritable(ctx, projectId);
    await ensureDefaultGroupIn(deps, uow, projectId);
    // First every target group (so rules may name any group of the set), then every rule set.
    const targets: { group: SecurityGroup; isNew: boolean; draft: RuleSetDraft }[] = [];
    for (const draft of drafts) {
      if (draft.id !== undefined) {
        const group = await loadVisibleGroup(ctx, uow.session, parseString(draft.id, 'id', 36));
        assertWritable(ctx, group.projectId);
        targets.push({ group, isNew: false, draft });
        continue;
      }
      if (draft.name === undefined) throw InvalidInputError.of('HTTPBadRequest', 'Each security group of a rule set needs an id or a name', 'name');
      const name = parseString(draft.name, 'name');
      if (targets.some((t) => t.group.name === name && t.group.projectId === projectId)) {
        throw InvalidInputError.of('HTTPBadRequest', `Security group '${name}' appears twice in the rule set`, 'name');
      }
      const found = await groupsNamed(uow.session, projectId, name);
      if (found.length > 1) throw ambiguous(name);
      if (found[0]) {
        targets.push({ group: found[0], isNew: false, draft });
        continue;
      }
      const group: SecurityGroup = {
        id: deps.newId(), projectId, name: parseGroupName(name), isDefault: false, tags: [], stateful: true,
        description: draft.description === undefined ? '' : parseString(draft.description, 'description'),
        revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
      };
      targets.push({ group, isNew: true, draft });
    }
    const newGroups = targets.filter((t) => t.isNew);
    if (newGroups.length > 0) await checkQuota(deps, uow.session, projectId, { security_group: newGroups.length });
    for (const t of newGroups) await insertGroupWithRules(deps, uow, t.group, []);

    const byName = new Map(targets.map((t) => [t.group.name, t.group.id]));
    const plans: (RuleSetOutcome & { group: SecurityGroup; isNew: boolean })[] = [];
    for (const { group, isNew, draft } of targets) {
      const wanted = new Map<string, RuleSpec>();
      for (const r of draft.rules) {
        const spec = await parseSetRule(ctx, uow.session, group, byName, r);
        const key = setKey(group.id, spec);
        if (wanted.has(key)) throw new ConflictError('DuplicateSecurityGroupRuleInPost', 'Duplicate Security Group Rule in POST.');
        wanted.set(key, spec);
      }
      const existing = isNew ? [] : await uow.session.listRules({ securityGroupIds: [group.id] });
      const unchanged = existing.filter((r) => wanted.has(setKey(group.id, r)));
      const deleted = existing.filter((r) => !wanted.has(setKey(group.id, r)));
      const kept = new Set(unchanged.map((r) => setKey(group.id, r)));
      const created = [...wanted].filter(([key]) => !kept.has(key)).map(([, s]) => s);
      const action: RuleSetAction = isNew ? 'create' : created.length > 0 || deleted.length > 0 ? 'update' : 'unchanged';
      plans.push({ group, isNew, id: group.id, name: group.name, action, created, deleted, unchanged });
    }
    // Net of deletions: a set that replaces rules one for one fits the quota it already fits.
    const adding = plans.reduce((n, p) => n + p.created.length - p.deleted.length, 0);
    if (adding > 0) await checkQuota(deps, uow.session, projectId, { security_group_rule: adding });
    for (const p of plans) {
      for (const r of p.deleted) {
        await uow.session.deleteRule(r.id);
        await uow.record('security_group_rule', 'delete', r.id, r.projectId, null, r);
      }
    }
    for (const p of plans) {
      await insertRules(uow, p.group, p.created);
      if (p.action === 'update') {
        const bumped = { ...p.group, revisionNumber: p.group.revisionNumber + 1, updatedAt: uow.at };
        await uow.session.updateGroup(bumped);
        await uow.record('security_group', 'update', bumped.id, bumped.projectId, bumped);
      }
    }
    return plans.map(({ group: _g, isNew: _n, ...outcome }) => outcome);
  }

  /** A set's rule as a spec: a remote group name resolved in the set, else in the group's project; remotes checked. */
  async function parseSetRule(
    ctx: RequestContext, session: StoreSession, group: SecurityGroup, byName: ReadonlyMap<string, string>, r: RuleSetRuleDraft,
  ): Promise<RuleSpec> {
    let remoteGroupId = r.remoteGroupId;
    if (r.remoteGroupName !== undefined && r.remoteGroupName !== null) {
      const name = parseString(r.remoteGroupName, 'remote_group_name');
      remoteGroupId = byName.get(name);
      if (remoteGroupId === undefined) {
        const found = await groupsNamed(session, group.projectId, name);
        if (found.length > 1) throw ambiguous(name);
        if (!found[0]) throw new NotFoundError('SecurityGroupNotFound', `Security group '${name}' does not exist`);
        remoteGroupId = found[0].id;
      }
    }
    const spec = parseRuleSpec({ ...r, remoteGroupId });
    if (spec.remoteGroupId !== null && spec.remoteGroupId !== group.id) await checkRemote(ctx, session, group.projectId, spec.remoteGroupId);
    if (spec.remoteAddressGroupId !== null) await checkRemoteAddressGroup(session, group.projectId, ctx, spec.remoteAddressGroupId);
    return spec;
  }

  return {
    /**
     * A new group in the caller's project (or `projectId`, for admins) with exactly the source's rules:
     * rules naming the source itself name the copy; no automatic egress rules are added beside them.
     */
    async copy(ctx: RequestContext, id: string, draft: CopyDraft): Promise<SecurityGroupView> {
      const projectId = targetProject(ctx, draft.projectId, undefined);
      assertWritable(ctx, projectId);
      return inTransaction(deps, ctx, async (uow) => {
        const source = await loadVisibleGroup(ctx, uow.session, id);
        const name = draft.name === undefined ? copyName(source) : parseGroupName(draft.name);
        const description = draft.description === undefined ? source.description : parseString(draft.description, 'description');
        await ensureDefaultGroupIn(deps, uow, projectId);
        const sourceRules = await uow.session.listRules({ securityGroupIds: [source.id] });
        await checkQuota(deps, uow.session, projectId, { security_group: 1, security_group_rule: sourceRules.length });
        const group: SecurityGroup = {
          id: deps.newId(), projectId, name, description, stateful: source.stateful, isDefault: false, tags: [],
          revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
        };
        const specs: RuleSpec[] = sourceRules.map((r) => ({
          direction: r.direction, etherType: r.etherType, protocol: r.protocol, portRangeMin: r.portRangeMin, portRangeMax: r.portRangeMax,
          remoteIpPrefix: r.remoteIpPrefix, remoteGroupId: r.remoteGroupId === source.id ? group.id : r.remoteGroupId,
          remoteAddressGroupId: r.remoteAddressGroupId, description: r.description,
        }));
        for (const s of specs) {
          if (s.remoteGroupId !== null && s.remoteGroupId !== group.id) await checkRemote(ctx, uow.session, projectId, s.remoteGroupId);
        }
        const rules = await insertGroupWithRules(deps, uow, group, specs);
        return { group, rules, shared: false };
      });
    },

    /**
     * Makes each group hold exactly its set's rules, all groups in one transaction; `dryRun` plans the same
     * writes, validation and quota checks included, and rolls them back.
     */
    async apply(ctx: RequestContext, drafts: readonly RuleSetDraft[], dryRun: boolean): Promise<RuleSetOutcome[]> {
      try {
        return await inTransaction(deps, ctx, async (uow) => {
          const outcomes = await applyAll(ctx, uow, drafts);
          if (dryRun) throw new DryRunRollback(outcomes);
          return outcomes;
        });
      } catch (e) {
        if (e instanceof DryRunRollback) return e.outcomes;
        throw e;
      }
    },
  };
}

export type RuleSetService = ReturnType<typeof createRuleSetService>;
