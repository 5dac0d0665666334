// Use cases of rules: list, show, create (single and atomic bulk), delete (neutron-api.md §4.2, S1–S27).
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  parseExpiresAt,
  parseRuleSpec,
  parseString,
  ruleIdentity,
  type RuleDraft,
  type RuleSpec,
  type SecurityGroup,
  type SecurityGroupRule,
} from '../domain/index.js';
import type { ListQuery, Page, StoreSession } from '../store/index.js';
import { assertWritable, canRead, readerOf, targetProject } from './access-policy.js';
import { ensureDefaultGroup } from './default-group.js';
import { canProjectUseGroup, canReadGroup } from './group-sharing.js';
import { addressGroupNotFound, canProjectUseAddressGroup } from './address-group-service.js';
import { checkQuota } from './quota-service.js';
import type { RequestContext } from './request-context.js';
import { checkRevision } from './security-group-service.js';
import { timestamp, type ServiceDeps } from './service-deps.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';

export interface RuleRequest extends RuleDraft {
  readonly securityGroupId?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
  /** Palisade's `expires_at`: an ISO 8601 time in the future, or null/absent for never. */
  readonly expiresAt?: unknown;
}

/** A rule with what the wire shows beside it. */
export interface RuleView {
  readonly rule: SecurityGroupRule;
  readonly belongsToDefaultGroup: boolean;
}

interface ParsedRule {
  readonly securityGroupId: string;
  readonly projectId: string;
  readonly spec: RuleSpec;
  readonly expiresAt: string | null;
}

function parseRequest(ctx: RequestContext, r: RuleRequest, now: Date): ParsedRule {
  if (r.securityGroupId === undefined) {
    throw InvalidInputError.of('HTTPBadRequest', "Failed to parse request. Required attribute 'security_group_id' not specified", 'security_group_id');
  }
  if (r.direction === undefined) {
    throw InvalidInputError.of('HTTPBadRequest', "Failed to parse request. Required attribute 'direction' not specified", 'direction');
  }
  const securityGroupId = parseString(r.securityGroupId, 'security_group_id', 36);
  const projectId = targetProject(ctx, r.projectId, r.tenantId);
  const spec = parseRuleSpec(r);
  return { securityGroupId, projectId, spec, expiresAt: parseExpiresAt(r.expiresAt, now) };
}

function ruleNotFound(id: string): NotFoundError {
  return new NotFoundError('SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`);
}

async function groupsById(session: StoreSession, ids: Iterable<string>): Promise<Map<string, SecurityGroup>> {
  const groups = await session.listGroups({ ids: [...new Set(ids)] });
  return new Map(groups.map((g) => [g.id, g]));
}

/** S24: a bulk request names one group and one project. */
function checkSingleGroupAndProject(parsed: readonly ParsedRule[]): void {
  if (new Set(parsed.map((p) => p.securityGroupId)).size > 1) {
    throw InvalidInputError.of('SecurityGroupNotSingleGroupRules', 'Only allowed to update rules for one security profile at a time');
  }
  if (new Set(parsed.map((p) => p.projectId)).size > 1) {
    throw InvalidInputError.of('SecurityGroupRulesNotSingleProject', 'Multiple project_ids in bulk security group rule create not allowed');
  }
}

/** S8 and S23: the parent group must exist and belong to the caller's project (or the caller is admin). */
function parentOrFail(ctx: RequestContext, groups: Map<string, SecurityGroup>, id: string): SecurityGroup {
  const group = groups.get(id);
  if (!group) throw new NotFoundError('SecurityGroupNotFound', `Security group ${id} does not exist`);
  if (!ctx.isAdmin && group.projectId !== ctx.projectId) {
    throw new ForbiddenError('PolicyNotAuthorized', `Rule:create_security_group_rule is disallowed by policy`);
  }
  return group;
}

/** S21: a remote group must exist and be the rule project's own or shared with it (or the caller is admin). */
async function checkRemoteGroup(session: StoreSession, groups: Map<string, SecurityGroup>, ruleProject: string, ctx: RequestContext, id: string): Promise<void> {
  const remote = groups.get(id);
  if (!remote || (!ctx.isAdmin && !(await canProjectUseGroup(session, remote, ruleProject)))) {
    throw new NotFoundError('SecurityGroupNotFound', `Security group ${id} does not exist`);
  }
}

/** S22: a remote address group must exist and be the rule project's own or shared with it (or the caller is admin). */
export async function checkRemoteAddressGroup(session: StoreSession, ruleProject: string, ctx: RequestContext, id: string): Promise<void> {
  const [group] = await session.listAddressGroups({ ids: [id] });
  if (!group || (!ctx.isAdmin && !(await canProjectUseAddressGroup(session, group, ruleProject)))) throw addressGroupNotFound(id);
}

/** S21 and S22: what a rule's remote may name. */
async function checkRemote(session: StoreSession, groups: Map<string, SecurityGroup>, ctx: RequestContext, p: ParsedRule): Promise<void> {
  if (p.spec.remoteGroupId !== null) await checkRemoteGroup(session, groups, p.projectId, ctx, p.spec.remoteGroupId);
  if (p.spec.remoteAddressGroupId !== null) await checkRemoteAddressGroup(session, p.projectId, ctx, p.spec.remoteAddressGroupId);
}

/**
 * A rule create checked as POST /v2.0/security-group-rules checks it (quota aside), and not written: what-if
 * takes proposed rules through this. `id` names the proposed rule in the answer.
 */
export async function previewRuleCreate(ctx: RequestContext, session: StoreSession, request: RuleRequest, id: string, at: string): Promise<SecurityGroupRule> {
  const p = parseRequest(ctx, request, new Date(at));
  const groups = await groupsById(session, [p.securityGroupId, ...(p.spec.remoteGroupId === null ? [] : [p.spec.remoteGroupId])]);
  parentOrFail(ctx, groups, p.securityGroupId);
  await checkRemote(session, groups, ctx, p);
  const existing = await session.findRuleIdByIdentity(ruleIdentity(p.securityGroupId, p.spec));
  if (existing) throw new ConflictError('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${existing}.`);
  return { ...p.spec, id, securityGroupId: p.securityGroupId, projectId: p.projectId, revisionNumber: 1, createdAt: at, updatedAt: at };
}

/** A rule delete checked as DELETE /v2.0/security-group-rules/{id} checks it, and not done. */
export async function previewRuleDelete(ctx: RequestContext, session: StoreSession, id: string): Promise<SecurityGroupRule> {
  const [rule] = await session.listRules({ ids: [id] });
  const [group] = rule ? await session.listGroups({ ids: [rule.securityGroupId] }) : [];
  if (!rule || !group || !(await canReadGroup(ctx, session, group))) throw ruleNotFound(id);
  assertWritable(ctx, group.projectId);
  return rule;
}

/** Rules one expiry run deletes at most; the next run takes the rest. */
const EXPIRY_BATCH = 500;

export function createSecurityGroupRuleService(deps: ServiceDeps) {
  async function viewsOf(session: StoreSession, rules: readonly SecurityGroupRule[]): Promise<RuleView[]> {
    const groups = await groupsById(session, rules.map((r) => r.securityGroupId));
    return rules.map((rule) => ({ rule, belongsToDefaultGroup: groups.get(rule.securityGroupId)?.isDefault ?? false }));
  }

  async function insertParsed(ctx: RequestContext, uow: UnitOfWork, parsed: readonly ParsedRule[]): Promise<SecurityGroupRule[]> {
    checkSingleGroupAndProject(parsed);
    const first = parsed[0]!;
    const groups = await groupsById(uow.session, [first.securityGroupId, ...parsed.flatMap((p) => p.spec.remoteGroupId ?? [])]);
    const parent = parentOrFail(ctx, groups, first.securityGroupId);
    await checkQuota(deps, uow.session, first.projectId, { security_group_rule: parsed.length });
    for (const p of parsed) await checkRemote(uow.session, groups, ctx, p);
    const identities = parsed.map((p) => ruleIdentity(p.securityGroupId, p.spec));
    if (new Set(identities).size !== identities.length) {
      throw new ConflictError('DuplicateSecurityGroupRuleInPost', 'Duplicate Security Group Rule in POST.');
    }
    for (const identity of identities) {
      const existing = await uow.session.findRuleIdByIdentity(identity);
      if (existing) throw new ConflictError('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${existing}.`);
    }
    const rules: SecurityGroupRule[] = parsed.map((p) => ({
      ...p.spec, id: deps.newId(), securityGroupId: p.securityGroupId, projectId: p.projectId,
      revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at, ...(p.expiresAt !== null && { expiresAt: p.expiresAt }),
    }));
    await uow.session.insertRules(rules, identities);
    for (const r of rules) await uow.record('security_group_rule', 'create', r.id, r.projectId, r);
    const bumped = { ...parent, revisionNumber: parent.revisionNumber + 1, updatedAt: uow.at };
    await uow.session.updateGroup(bumped);
    await uow.record('security_group', 'update', bumped.id, bumped.projectId, bumped);
    return rules;
  }

  /** Deletes the rule and bumps its group's revision, each with its change record. */
  async function removeRule(uow: UnitOfWork, rule: SecurityGroupRule, group: SecurityGroup): Promise<void> {
    await uow.session.deleteRule(rule.id);
    await uow.record('security_group_rule', 'delete', rule.id, rule.projectId, null, rule);
    const bumped = { ...group, revisionNumber: group.revisionNumber + 1, updatedAt: uow.at };
    await uow.session.updateGroup(bumped);
    await uow.record('security_group', 'update', bumped.id, bumped.projectId, bumped);
  }

  return {
    /** One page of the rules the caller sees: non-admins those they own or that sit in their own or shared groups. */
    async list(ctx: RequestContext, query: ListQuery): Promise<Page<RuleView>> {
      await ensureDefaultGroup(deps, ctx.projectId);
      return deps.store.listRulePage(query, readerOf(ctx));
    },

    async get(ctx: RequestContext, id: string): Promise<RuleView> {
      const [rule] = await deps.store.listRules({ ids: [id] });
      if (!rule) throw ruleNotFound(id);
      const [view] = await viewsOf(deps.store, [rule]);
      const [group] = await deps.store.listGroups({ ids: [rule.securityGroupId] });
      if (!canRead(ctx, rule.projectId) && (group === undefined || !(await canReadGroup(ctx, deps.store, group)))) throw ruleNotFound(id);
      return view!;
    },

    /** Creates rules atomically: every item valid and new, or nothing is written. */
    async create(ctx: RequestContext, requests: readonly RuleRequest[]): Promise<RuleView[]> {
      const now = deps.now();
      const parsed = requests.map((r) => parseRequest(ctx, r, now));
      const rules = await inTransaction(deps, ctx, (uow) => insertParsed(ctx, uow, parsed));
      return viewsOf(deps.store, rules);
    },

    async delete(ctx: RequestContext, id: string, expectedRevision?: number): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const rule = await previewRuleDelete(ctx, uow.session, id);
        const [group] = await uow.session.listGroups({ ids: [rule.securityGroupId] });
        if (!group) throw ruleNotFound(id);
        checkRevision(rule.revisionNumber, expectedRevision);
        await removeRule(uow, rule, group);
      });
    },

    /**
     * Deletes rules whose `expires_at` has come, each in its own transaction as the system, as an API delete
     * would. Every replica may run it at once: write transactions are serialised and each re-reads its rule,
     * so a rule another replica (or a user) deleted first is skipped and each rule is deleted exactly once.
     */
    async expireDue(limit = EXPIRY_BATCH): Promise<number> {
      const now = timestamp(deps.now());
      let deleted = 0;
      for (const id of await deps.store.listExpiredRuleIds(now, limit)) {
        deleted += await inTransaction(deps, null, async (uow) => {
          const [rule] = await uow.session.listRules({ ids: [id] });
          const [group] = rule ? await uow.session.listGroups({ ids: [rule.securityGroupId] }) : [];
          if (!rule || !group || rule.expiresAt === undefined || rule.expiresAt === null || rule.expiresAt > now) return 0;
          await removeRule(uow, rule, group);
          return 1;
        });
      }
      return deleted;
    },
  };
}

export type SecurityGroupRuleService = ReturnType<typeof createSecurityGroupRuleService>;
