// One StoreSession over Kysely: the single query code path shared by SQLite and PostgreSQL.
import type { Kysely } from 'kysely';
import {
  ConflictError,
  type AddressGroup,
  type AuditFilter,
  type Change,
  type HistoryEntry,
  type HistoryPage,
  type HostChange,
  type RemoteKind,
  type DefaultRuleTemplate,
  type Network,
  type Port,
  type RbacPolicy,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
} from '../domain/index.js';
import type { Database } from './database-schema.js';
import type { SqlDialect } from './list-compiler.js';
import * as pages from './list-pages.js';
import type { ListQuery, Page, Reader } from './list-query.js';
import { isUniqueViolation, violatedConstraint } from './driver-errors.js';
import * as history from './history-rows.js';
import { changeToRow, rowToChange } from './history-rows.js';
import { createIdentityStore, type IdentityStore } from './identity-store.js';
import * as rbacRows from './rbac-rows.js';
import * as addressGroupRows from './address-group-rows.js';
import * as hostRows from './host-feed-rows.js';
import * as defaultRuleRows from './default-rule-rows.js';
import { assemblePorts, deletePortChildren, insertPortChildren, portToRow } from './port-rows.js';
import {
  groupToRow,
  networkToRow,
  rowToGroup,
  rowToNetwork,
  rowToRule,
  rowToSubnet,
  ruleToRow,
  subnetToRow,
} from './row-mappers.js';
import type {
  GroupListing, HostChangeRow, NetworkListing, NewChange, PortScope, ProjectsInGroup, QuotaResource, RbacScope, RuleListing, RuleScope, Scope, StoreSession,
} from './store.js';

/** The part of a select builder `scoped` needs; every scoped table has `id`. */
interface Filterable<Q> {
  where(column: never, op: 'in', values: never): Q;
}

function scoped<Q extends Filterable<Q>>(q: Q, scope: Scope): Q {
  let out = q;
  if (scope.ids) out = out.where('id' as never, 'in', emptySafe(scope.ids) as never);
  return out;
}

/**
 * `IN ()` is a syntax error; a control character no id, project, host or device holds keeps the query
 * valid and empty (PostgreSQL refuses NUL in text, so it cannot be \u0000).
 */
const NO_MATCH = '\u0001';
function emptySafe(values: readonly string[]): readonly string[] {
  return values.length === 0 ? [NO_MATCH] : values;
}

const QUOTA_TABLES = {
  security_group: 'security_groups',
  security_group_rule: 'security_group_rules',
  port: 'ports',
  network: 'networks',
  subnet: 'subnets',
  rbac_policy: 'rbac_policies',
} as const satisfies Record<QuotaResource, keyof Database>;

export class KyselySession implements StoreSession {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialect;
  /** The identity tables, through the same connection or transaction. */
  readonly identity: IdentityStore;
  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.#db = db;
    this.#dialect = dialect;
    this.identity = createIdentityStore(db);
  }

  listGroupPage(query: ListQuery, reader: Reader): Promise<Page<GroupListing>> {
    return pages.listGroupPage(this.#db, this.#dialect, query, reader);
  }

  listRulePage(query: ListQuery, reader: Reader): Promise<Page<RuleListing>> {
    return pages.listRulePage(this.#db, this.#dialect, query, reader);
  }

  listRulesOfGroups(groupIds: readonly string[]): Promise<SecurityGroupRule[]> {
    return pages.listRulesOfGroups(this.#db, groupIds);
  }

  listPortPage(query: ListQuery, reader: Reader, inGroups?: readonly string[]): Promise<Page<Port>> {
    return pages.listPortPage(this.#db, this.#dialect, query, reader, inGroups);
  }

  listNetworkPage(query: ListQuery, reader: Reader): Promise<Page<NetworkListing>> {
    return pages.listNetworkPage(this.#db, this.#dialect, query, reader);
  }

  listSubnetPage(query: ListQuery, reader: Reader): Promise<Page<Subnet>> {
    return pages.listSubnetPage(this.#db, this.#dialect, query, reader);
  }

  listRbacPolicyPage(query: ListQuery, reader: Reader): Promise<Page<RbacPolicy>> {
    return pages.listRbacPolicyPage(this.#db, this.#dialect, query, reader);
  }

  listAddressGroupPage(query: ListQuery, reader: Reader): Promise<Page<AddressGroup>> {
    return pages.listAddressGroupPage(this.#db, this.#dialect, query, reader);
  }

  async insertGroup(group: SecurityGroup): Promise<void> {
    await this.#db.insertInto('security_groups').values(groupToRow(group)).execute();
    await this.setTags(group.id, group.tags);
  }

  async updateGroup(group: SecurityGroup): Promise<void> {
    const { id, ...row } = groupToRow(group);
    await this.#db.updateTable('security_groups').set(row).where('id', '=', id).execute();
  }

  async deleteGroup(id: string): Promise<void> {
    await this.#db.deleteFrom('security_group_tags').where('security_group_id', '=', id).execute();
    await this.#db.deleteFrom('default_security_groups').where('security_group_id', '=', id).execute();
    await this.#db.deleteFrom('security_group_rules').where('remote_group_id', '=', id).execute();
    await this.#db.deleteFrom('security_group_rules').where('security_group_id', '=', id).execute();
    await rbacRows.deleteRbacPolicies(this.#db, { objectId: id });
    await this.#db.deleteFrom('security_groups').where('id', '=', id).execute();
  }

  async listGroups(scope: Scope): Promise<SecurityGroup[]> {
    const rows = await scoped(this.#db.selectFrom('security_groups').selectAll(), scope)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    if (rows.length === 0) return [];
    const tagRows = await this.#db
      .selectFrom('security_group_tags')
      .selectAll()
      .where('security_group_id', 'in', rows.map((r) => r.id).slice(0, 30000))
      .orderBy('tag')
      .execute();
    const tags = new Map<string, string[]>();
    for (const t of tagRows) tags.set(t.security_group_id, [...(tags.get(t.security_group_id) ?? []), t.tag]);
    return rows.map((r) => rowToGroup(r, tags.get(r.id) ?? []));
  }

  async claimDefaultGroup(projectId: string, groupId: string): Promise<boolean> {
    const result = await this.#db
      .insertInto('default_security_groups')
      .values({ project_id: projectId, security_group_id: groupId })
      .onConflict((oc) => oc.column('project_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findDefaultGroupId(projectId: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom('default_security_groups')
      .select('security_group_id')
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return row?.security_group_id ?? null;
  }

  async setTags(groupId: string, tags: readonly string[]): Promise<void> {
    await this.#db.deleteFrom('security_group_tags').where('security_group_id', '=', groupId).execute();
    if (tags.length > 0) {
      await this.#db
        .insertInto('security_group_tags')
        .values(tags.map((tag) => ({ security_group_id: groupId, tag })))
        .execute();
    }
  }

  async insertRules(rules: readonly SecurityGroupRule[], identities: readonly string[]): Promise<void> {
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const identity = identities[i]!;
      try {
        await this.#db.insertInto('security_group_rules').values(ruleToRow(rule, identity)).execute();
      } catch (e) {
        if (!isUniqueViolation(e) || !violatedConstraint(e).includes('identity')) throw e;
        const existing = await this.findRuleIdByIdentity(identity);
        throw new ConflictError('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${existing ?? 'unknown'}.`);
      }
    }
  }

  async deleteRule(id: string): Promise<void> {
    await this.#db.deleteFrom('security_group_rules').where('id', '=', id).execute();
  }

  async listRules(scope: RuleScope): Promise<SecurityGroupRule[]> {
    let q = scoped(this.#db.selectFrom('security_group_rules').selectAll(), scope);
    if (scope.securityGroupIds) q = q.where('security_group_id', 'in', emptySafe(scope.securityGroupIds));
    if (scope.remoteGroupIds) q = q.where('remote_group_id', 'in', emptySafe(scope.remoteGroupIds));
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => rowToRule(r));
  }

  async findRuleIdByIdentity(identity: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom('security_group_rules')
      .select('id')
      .where('identity', '=', identity)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async insertNetwork(network: Network): Promise<void> {
    await this.#db.insertInto('networks').values(networkToRow(network)).execute();
  }

  async updateNetwork(network: Network): Promise<void> {
    const { id, ...row } = networkToRow(network);
    await this.#db.updateTable('networks').set(row).where('id', '=', id).execute();
  }

  async deleteNetwork(id: string): Promise<void> {
    await this.#db.deleteFrom('networks').where('id', '=', id).execute();
  }

  async listNetworks(scope: Scope): Promise<Network[]> {
    const rows = await scoped(this.#db.selectFrom('networks').selectAll(), scope)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => rowToNetwork(r));
  }

  async insertSubnet(subnet: Subnet): Promise<void> {
    await this.#db.insertInto('subnets').values(subnetToRow(subnet)).execute();
  }

  async updateSubnet(subnet: Subnet): Promise<void> {
    const { id, ...row } = subnetToRow(subnet);
    await this.#db.updateTable('subnets').set(row).where('id', '=', id).execute();
  }

  async deleteSubnet(id: string): Promise<void> {
    await this.#db.deleteFrom('subnets').where('id', '=', id).execute();
  }

  async listSubnets(scope: Scope & { readonly networkIds?: readonly string[] }): Promise<Subnet[]> {
    let q = scoped(this.#db.selectFrom('subnets').selectAll(), scope);
    if (scope.networkIds) q = q.where('network_id', 'in', emptySafe(scope.networkIds));
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => rowToSubnet(r));
  }

  async listAllocatedIps(networkId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('port_fixed_ips').select('ip_address').where('network_id', '=', networkId).execute();
    return rows.map((r) => r.ip_address);
  }

  async subnetHasAllocations(subnetId: string): Promise<boolean> {
    const row = await this.#db.selectFrom('port_fixed_ips').select('port_id').where('subnet_id', '=', subnetId).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async insertPort(port: Port): Promise<void> {
    await this.#translatePortConflicts(async () => {
      await this.#db.insertInto('ports').values(portToRow(port)).execute();
      await insertPortChildren(this.#db, port);
    });
  }

  async updatePort(port: Port): Promise<void> {
    await this.#translatePortConflicts(async () => {
      const { id, ...row } = portToRow(port);
      await this.#db.updateTable('ports').set(row).where('id', '=', id).execute();
      await deletePortChildren(this.#db, id);
      await insertPortChildren(this.#db, port);
    });
  }

  async #translatePortConflicts(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const which = violatedConstraint(e);
      if (which.includes('mac')) throw new ConflictError('MacAddressInUse', 'Unable to complete operation for network. The mac address is in use.');
      if (which.includes('port_fixed_ips') || which.includes('ip_address')) throw new ConflictError('IpAddressAlreadyAllocated', 'IP address already allocated in the network.');
      throw e;
    }
  }

  async deletePort(id: string): Promise<void> {
    await deletePortChildren(this.#db, id);
    await this.#db.deleteFrom('ports').where('id', '=', id).execute();
  }

  async listPorts(scope: PortScope): Promise<Port[]> {
    let q = scoped(this.#db.selectFrom('ports').selectAll(), scope);
    if (scope.networkIds) q = q.where('network_id', 'in', emptySafe(scope.networkIds));
    if (scope.hostIds) q = q.where('host_id', 'in', emptySafe(scope.hostIds));
    if (scope.securityGroupIds) {
      const groups = emptySafe(scope.securityGroupIds);
      q = q.where('id', 'in', (sub) =>
        sub.selectFrom('port_security_groups').select('port_id').where('security_group_id', 'in', groups),
      );
    }
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return assemblePorts(this.#db, rows);
  }

  async projectsWithPortsInGroup(groupId: string, which: ProjectsInGroup): Promise<string[]> {
    let q = this.#db.selectFrom('port_security_groups as pg').innerJoin('ports as p', 'p.id', 'pg.port_id')
      .select('p.project_id').distinct().where('pg.security_group_id', '=', groupId);
    if (which.except.length > 0) q = q.where('p.project_id', 'not in', which.except);
    if (which.only !== undefined) q = q.where('p.project_id', '=', which.only);
    const rows = await q.orderBy('p.project_id').limit(which.limit).execute();
    return rows.map((r) => r.project_id);
  }

  insertRbacPolicy(policy: RbacPolicy): Promise<void> {
    return rbacRows.insertRbacPolicy(this.#db, policy);
  }

  updateRbacPolicy(policy: RbacPolicy): Promise<void> {
    return rbacRows.updateRbacPolicy(this.#db, policy);
  }

  deleteRbacPolicy(id: string): Promise<void> {
    return rbacRows.deleteRbacPolicies(this.#db, { id });
  }

  listRbacPolicies(scope: RbacScope): Promise<RbacPolicy[]> {
    return rbacRows.listRbacPolicies(this.#db, scope);
  }

  insertAddressGroup(group: AddressGroup): Promise<void> {
    return addressGroupRows.insertAddressGroup(this.#db, group);
  }

  updateAddressGroup(group: AddressGroup): Promise<void> {
    return addressGroupRows.updateAddressGroup(this.#db, group);
  }

  deleteAddressGroup(id: string): Promise<void> {
    return addressGroupRows.deleteAddressGroup(this.#db, id);
  }

  listAddressGroups(scope: Scope): Promise<AddressGroup[]> {
    return addressGroupRows.listAddressGroups(this.#db, scope);
  }

  addAddresses(groupId: string, addresses: readonly string[]): Promise<void> {
    return addressGroupRows.addAddresses(this.#db, groupId, addresses);
  }

  removeAddresses(groupId: string, addresses: readonly string[]): Promise<void> {
    return addressGroupRows.removeAddresses(this.#db, groupId, addresses);
  }

  heldAddresses(groupId: string, addresses: readonly string[]): Promise<Set<string>> {
    return addressGroupRows.heldAddresses(this.#db, groupId, addresses);
  }

  isAddressGroupInUse(groupId: string): Promise<boolean> {
    return addressGroupRows.isAddressGroupInUse(this.#db, groupId);
  }

  projectsWithRulesUsingAddressGroup(groupId: string, which: ProjectsInGroup): Promise<string[]> {
    return addressGroupRows.projectsWithRulesUsing(this.#db, groupId, which.except, which.only, which.limit);
  }

  listDefaultRulePage(query: ListQuery): Promise<Page<DefaultRuleTemplate>> {
    return defaultRuleRows.listDefaultRulePage(this.#db, this.#dialect, query);
  }

  insertDefaultRule(template: DefaultRuleTemplate): Promise<void> {
    return defaultRuleRows.insertDefaultRule(this.#db, template);
  }

  deleteDefaultRule(id: string): Promise<void> {
    return defaultRuleRows.deleteDefaultRule(this.#db, id);
  }

  listDefaultRules(scope: defaultRuleRows.DefaultRuleScope): Promise<DefaultRuleTemplate[]> {
    return defaultRuleRows.listDefaultRules(this.#db, scope);
  }

  async count(resource: QuotaResource, projectId: string): Promise<number> {
    const row = await this.#db
      .selectFrom(QUOTA_TABLES[resource])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async getQuotaOverrides(projectId: string): Promise<Partial<Record<QuotaResource, number>>> {
    const rows = await this.#db.selectFrom('quotas').selectAll().where('project_id', '=', projectId).execute();
    return Object.fromEntries(rows.map((r) => [r.resource, Number(r.quota_limit)]));
  }

  async setQuotaOverride(projectId: string, resource: QuotaResource, limit: number): Promise<void> {
    await this.#db
      .insertInto('quotas')
      .values({ project_id: projectId, resource, quota_limit: limit })
      .onConflict((oc) => oc.columns(['project_id', 'resource']).doUpdateSet({ quota_limit: limit }))
      .execute();
  }

  async deleteQuotaOverrides(projectId: string): Promise<void> {
    await this.#db.deleteFrom('quotas').where('project_id', '=', projectId).execute();
  }

  async listQuotaProjects(): Promise<string[]> {
    const rows = await this.#db.selectFrom('quotas').select('project_id').distinct().orderBy('project_id').execute();
    return rows.map((r) => r.project_id);
  }

  async appendChange(change: NewChange): Promise<number> {
    // Not a database sequence: PostgreSQL sequences skip numbers when a transaction rolls back.
    // Writers are serialised (SQLite's one connection, PostgreSQL's advisory lock), so max + 1 is
    // race-free and the log has no gaps.
    const seq = (await this.latestChangeSeq()) + 1;
    await this.#db.insertInto('changes').values(changeToRow(seq, change)).execute();
    return seq;
  }

  async listChanges(since: number, limit: number): Promise<Change[]> {
    const rows = await this.#db.selectFrom('changes').selectAll().where('seq', '>', since).orderBy('seq').limit(limit).execute();
    return rows.map(rowToChange);
  }

  listHistory(filter: AuditFilter, page: HistoryPage): Promise<HistoryEntry[]> {
    return history.listHistory(this.#db, filter, page);
  }

  lastChangeSeqBefore(at: string): Promise<number> {
    return history.lastChangeSeqBefore(this.#db, at);
  }

  async listExpiredRuleIds(now: string, limit: number): Promise<string[]> {
    const rows = await this.#db.selectFrom('security_group_rules').select('id')
      .where('expires_at', 'is not', null).where('expires_at', '<=', now).orderBy('expires_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async claimJob(name: string, now: string, next: string): Promise<boolean> {
    await this.#db.insertInto('scheduled_jobs').values({ name, next_run_at: '' }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const result = await this.#db.updateTable('scheduled_jobs').set({ next_run_at: next })
      .where('name', '=', name).where('next_run_at', '<=', now).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async latestChangeSeq(): Promise<number> {
    const row = await this.#db
      .selectFrom('changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
  }

  async oldestChangeSeq(): Promise<number> {
    const row = await this.#db
      .selectFrom('changes')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .executeTakeFirst();
    return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
  }

  async pruneChanges(upTo: number): Promise<void> {
    // The newest record always stays: the next sequence number is derived from it.
    const latest = await this.latestChangeSeq();
    await this.#db.deleteFrom('changes').where('seq', '<=', Math.min(upTo, latest - 1)).execute();
    await hostRows.pruneHostChanges(this.#db, Math.min(upTo, latest - 1));
  }

  countHostGroups(host: string, groupIds: readonly string[], by: 1 | -1): Promise<string[]> {
    return hostRows.countHostGroups(this.#db, host, groupIds, by);
  }

  countHostRemotes(host: string, kind: RemoteKind, remoteIds: readonly string[], by: 1 | -1): Promise<string[]> {
    return hostRows.countHostRemotes(this.#db, host, kind, remoteIds, by);
  }

  hostsOfGroups(groupIds: readonly string[]): Promise<{ host: string; groupId: string }[]> {
    return hostRows.hostsOfGroups(this.#db, groupIds);
  }

  hostRemotes(kind: RemoteKind, remoteIds: readonly string[], host?: string): Promise<{ host: string; remoteId: string }[]> {
    return hostRows.hostRemotes(this.#db, kind, remoteIds, host);
  }

  appendHostChanges(rows: readonly HostChangeRow[]): Promise<void> {
    return hostRows.appendHostChanges(this.#db, rows);
  }

  listHostChanges(host: string, since: number, upTo: number, limit: number): Promise<HostChange[]> {
    return hostRows.listHostChanges(this.#db, host, since, upTo, limit);
  }

  hostFeedFloor(): Promise<number> {
    return hostRows.hostFeedFloor(this.#db);
  }
}
