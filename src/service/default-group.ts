// The per-project `default` group: created lazily, at most once per project (neutron-api.md §8.1, §8.2).
import {
  DEFAULT_GROUP_DESCRIPTION,
  DEFAULT_GROUP_NAME,
  ruleIdentity,
  type RuleSpec,
  type SecurityGroup,
  type SecurityGroupRule,
} from '../domain/index.js';
import type { ServiceDeps } from './service-deps.js';
import { loadStartingTemplates, startingRules } from './starting-rules.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';

/** Inserts a group with its starting rules and records the changes; the caller checked quotas. */
export async function insertGroupWithRules(
  deps: ServiceDeps,
  uow: UnitOfWork,
  group: SecurityGroup,
  specs: readonly RuleSpec[],
): Promise<SecurityGroupRule[]> {
  await uow.session.insertGroup(group);
  await uow.record('security_group', 'create', group.id, group.projectId, group);
  const rules = specs.map((spec) => ({
    ...spec,
    id: deps.newId(),
    securityGroupId: group.id,
    projectId: group.projectId,
    revisionNumber: 1,
    createdAt: uow.at,
    updatedAt: uow.at,
  }));
  await uow.session.insertRules(rules, rules.map((r) => ruleIdentity(group.id, r)));
  for (const r of rules) await uow.record('security_group_rule', 'create', r.id, r.projectId, r);
  return rules;
}

/** Creates the default group inside an open transaction unless it exists; returns its id. */
export async function ensureDefaultGroupIn(deps: ServiceDeps, uow: UnitOfWork, projectId: string): Promise<string> {
  const existing = await uow.session.findDefaultGroupId(projectId);
  if (existing) return existing;
  const id = deps.newId();
  const group: SecurityGroup = {
    id,
    projectId,
    name: DEFAULT_GROUP_NAME,
    description: DEFAULT_GROUP_DESCRIPTION,
    stateful: true,
    isDefault: true,
    tags: [],
    revisionNumber: 1,
    createdAt: uow.at,
    updatedAt: uow.at,
  };
  const specs = await startingRules(uow.session, await loadStartingTemplates(uow.session, 'default'), id);
  // Neutron's plugin creates the default group without a quota reservation (it counts against the
  // quota afterwards): a project at its limit must still be able to list its groups.
  await insertGroupWithRules(deps, uow, group, specs);
  // Writers are serialised (SQLite's single connection, PostgreSQL's advisory lock), so the slot
  // is free here; the primary key on the slot is the second line of defence.
  await uow.session.claimDefaultGroup(projectId, id);
  return id;
}

/** Ensures the project's default group exists (a cheap read when it does). */
export async function ensureDefaultGroup(deps: ServiceDeps, projectId: string): Promise<string> {
  const existing = await deps.store.findDefaultGroupId(projectId);
  if (existing) return existing;
  return inTransaction(deps, null, (uow) => ensureDefaultGroupIn(deps, uow, projectId));
}
