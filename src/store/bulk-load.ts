// Bulk load: many objects written with multi-row INSERTs in one transaction, each with its change-log record.
import type { Kysely } from 'kysely';
import { groupOfChange, SYSTEM_ACTOR, type ChangeResource, type Network, type Port, type SecurityGroup, type SecurityGroupRule, type Subnet } from '../domain/index.js';
import { rebuildHostIndex } from './host-feed-rows.js';
import type { Database } from './database-schema.js';
import { portToRow } from './port-rows.js';
import { groupToRow, networkToRow, ruleToRow, subnetToRow } from './row-mappers.js';

/** A rule with its duplicate identity (§7.4), which the caller computes as the rule service does. */
export interface BulkRule {
  readonly rule: SecurityGroupRule;
  readonly identity: string;
}

/**
 * Objects to create, already validated and complete (ids, timestamps, revision numbers): the store
 * trusts them. Written parents first (networks, subnets, groups, rules, ports), so a batch may hold
 * both a group and its rules; a violated constraint (a duplicate rule identity, a taken address)
 * aborts the whole batch with the driver's error, untranslated.
 */
export interface BulkLoad {
  readonly networks?: readonly Network[];
  readonly subnets?: readonly Subnet[];
  readonly groups?: readonly SecurityGroup[];
  readonly rules?: readonly BulkRule[];
  readonly ports?: readonly Port[];
}

/**
 * Both drivers cap the bound parameters of one statement (SQLite 32,766, PostgreSQL 65,535); rows per
 * INSERT are sized to stay under the smaller cap whatever the table's width.
 */
const MAX_PARAMS = 30_000;

async function insertRows<T extends keyof Database>(db: Kysely<Database>, table: T, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += perStatement) {
    await db.insertInto(table).values(rows.slice(i, i + perStatement) as never).execute();
  }
}

interface Created {
  readonly resource: ChangeResource;
  readonly id: string;
  readonly projectId: string;
  readonly object: unknown;
  readonly at: string;
}

/** Every object of the batch as the 'create' change the API would have recorded for it, in write order. */
function changesOf(batch: BulkLoad): Created[] {
  const of = (resource: ChangeResource, list: readonly { id: string; projectId: string; createdAt: string }[] = []) =>
    list.map((o) => ({ resource, id: o.id, projectId: o.projectId, object: o, at: o.createdAt }));
  return [
    ...of('network', batch.networks),
    ...of('subnet', batch.subnets),
    ...of('security_group', batch.groups),
    ...of('security_group_rule', batch.rules?.map((r) => r.rule)),
    ...of('port', batch.ports),
  ];
}

/**
 * Writes `batch` through `db`, which must be a transaction holding the store's write serialisation
 * (SQLite's one connection, PostgreSQL's advisory lock), and returns the last change seq it appended
 * (the previous latest when the batch was empty).
 *
 * The change log gets one 'create' record per object, numbered on from the latest like appendChange:
 * followers (the engine cache, agents, other replicas) see bulk-loaded objects exactly as if they
 * had been created through the API, and nothing has to be resynchronised from a snapshot. Host feeds are
 * the exception: their counts are rebuilt from the tables (a cost that grows with the region, paid per
 * batch), and a host agent behind the batch resyncs from its host's snapshot.
 */
export async function writeBulkLoad(db: Kysely<Database>, batch: BulkLoad): Promise<number> {
  const groups = batch.groups ?? [];
  const ports = batch.ports ?? [];
  await insertRows(db, 'networks', (batch.networks ?? []).map(networkToRow));
  await insertRows(db, 'subnets', (batch.subnets ?? []).map(subnetToRow));
  await insertRows(db, 'security_groups', groups.map(groupToRow));
  await insertRows(db, 'security_group_tags', groups.flatMap((g) => g.tags.map((tag) => ({ security_group_id: g.id, tag }))));
  // Rules of the batch's own groups get their group's project from the batch, not a lookup per row.
  const owners = new Map(groups.map((g) => [g.id, g.projectId]));
  await insertRows(db, 'security_group_rules', (batch.rules ?? []).map((r) => ruleToRow(r.rule, r.identity, owners.get(r.rule.securityGroupId))));
  await insertRows(db, 'ports', ports.map(portToRow));
  await insertRows(db, 'port_fixed_ips', ports.flatMap((p) => p.fixedIps.map((ip) => ({ port_id: p.id, network_id: p.networkId, subnet_id: ip.subnetId, ip_address: ip.ipAddress }))));
  await insertRows(db, 'port_security_groups', ports.flatMap((p) => p.securityGroupIds.map((g, i) => ({ port_id: p.id, security_group_id: g, position: i }))));
  await insertRows(db, 'port_allowed_address_pairs', ports.flatMap((p) => p.allowedAddressPairs.map((a, i) => ({ port_id: p.id, ip_address: a.ipAddress, mac_address: a.macAddress, position: i }))));
  const latest = await db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  const base = latest?.seq === null || latest?.seq === undefined ? 0 : Number(latest.seq);
  const changes = changesOf(batch);
  await insertRows(db, 'changes', changes.map((c, i) => ({
    seq: base + 1 + i, resource: c.resource, action: 'create', object_id: c.id, project_id: c.projectId, object: JSON.stringify(c.object), at: c.at, group_id: groupOfChange(c.resource, c.id, c.object),
  actor_user_name: SYSTEM_ACTOR.userName, actor_roles: SYSTEM_ACTOR.roles.join(','),
  })));
  // Host feeds carry no record of these objects: the counts are rebuilt, and feeds resync from here (410).
  await rebuildHostIndex(db);
  return base + changes.length;
}
