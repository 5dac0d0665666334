// One page of each list, as indexed queries: visibility, filters, order and keyset in SQL, children for the page only.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { AddressGroup, Port, RbacPolicy, SecurityGroupRule, Subnet } from '../domain/index.js';
import type { Database } from './database-schema.js';
import { fetchPage, filterConditions, type Collection, type ListSelect, type SqlDialect } from './list-compiler.js';
import {
  addressGroupCollection, addressGroupVisibility, type Arms, groupCollection, groupVisibility, networkCollection, networkVisibility, ownedVisibility, portCollection, portInGroups,
  rbacPolicyCollection, ruleCollection, ruleInDefaultGroup, ruleVisibility, subnetCollection, subnetVisibility,
} from './list-collections.js';
import { wantsField, type ListQuery, type Page, type Reader } from './list-query.js';
import { assemblePorts, type PortParts } from './port-rows.js';
import { rbacPolicyFromRow } from './rbac-rows.js';
import { assembleAddressGroups } from './address-group-rows.js';
import { RULE_COLUMNS, rowToGroup, rowToNetwork, rowToRule, rowToSubnet } from './row-mappers.js';
import type { GroupListing, NetworkListing, RuleListing } from './store.js';

/** Ids per query when loading children of a page (bound parameters are limited). */
const CHUNK = 500;

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
  return out;
}

/** One select per visibility arm, each with every filter (and `extra`) applied; the compiler pages their union. */
function page<R>(
  db: Kysely<Database>, base: ListSelect<R>, c: Collection, q: ListQuery, dialect: SqlDialect, arms: Arms, extra: RawBuilder<SqlBool>[] = [],
): Promise<Page<R>> {
  const conditions = [...filterConditions(c, q, dialect), ...extra];
  const selects = arms.map((arm) => [arm, ...conditions].reduce((qb, condition) => qb.where(condition), base));
  return fetchPage(db, selects, c, q, dialect);
}

function mapPage<R, T>(p: Page<R>, items: T[]): Page<T> {
  return { items, hasNext: p.hasNext, hasPrevious: p.hasPrevious };
}

async function tagsOf(db: Kysely<Database>, groupIds: readonly string[]): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  for (const ids of chunks(groupIds)) {
    const rows = await db.selectFrom('security_group_tags').selectAll().where('security_group_id', 'in', ids).orderBy('tag').execute();
    for (const t of rows) tags.set(t.security_group_id, [...(tags.get(t.security_group_id) ?? []), t.tag]);
  }
  return tags;
}

/** Groups with the caller's `shared`; tags only when asked for (rules are the service's to load). */
export async function listGroupPage(db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader): Promise<Page<GroupListing>> {
  const c = groupCollection(reader);
  const base = db.selectFrom('security_groups as g').selectAll('g')
    .select(sql<number>`${c.attributes['shared']!.sql}`.as('shared_with_reader'));
  const rows = await page(db, base, c, q, dialect, groupVisibility(reader));
  const tags = wantsField(q, 'tags') ? await tagsOf(db, rows.items.map((r) => r.id)) : new Map<string, string[]>();
  return mapPage(rows, rows.items.map((r) => ({ group: rowToGroup(r, tags.get(r.id) ?? []), shared: Number(r.shared_with_reader) === 1 })));
}

/** Rules of the given groups, in creation order (one query per 500 groups). */
export async function listRulesOfGroups(db: Kysely<Database>, groupIds: readonly string[]): Promise<SecurityGroupRule[]> {
  const out: SecurityGroupRule[] = [];
  for (const ids of chunks(groupIds)) {
    const rows = await db.selectFrom('security_group_rules').select(RULE_COLUMNS).where('security_group_id', 'in', ids)
      .orderBy('created_at').orderBy('id').execute();
    for (const r of rows) out.push(rowToRule(r));
  }
  return out;
}

export async function listRulePage(db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader): Promise<Page<RuleListing>> {
  const base = db.selectFrom('security_group_rules as r').selectAll('r').select(ruleInDefaultGroup.as('in_default_group'));
  const rows = await page(db, base, ruleCollection, q, dialect, ruleVisibility(reader));
  return mapPage(rows, rows.items.map((r) => ({ rule: rowToRule(r), belongsToDefaultGroup: Number(r.in_default_group) === 1 })));
}

/** Ports; `inGroups` restricts to ports in one of those groups (NHN's security-group-ports). */
export async function listPortPage(
  db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader, inGroups?: readonly string[],
): Promise<Page<Port>> {
  const extra = inGroups ? [portInGroups(inGroups, dialect)] : [];
  const rows = await page(db, db.selectFrom('ports as p').selectAll('p'), portCollection, q, dialect, ownedVisibility(reader, 'p'), extra);
  const parts: PortParts = {
    fixedIps: wantsField(q, 'fixed_ips'), securityGroups: wantsField(q, 'security_groups'), addressPairs: wantsField(q, 'allowed_address_pairs'),
  };
  return mapPage(rows, await assemblePorts(db, rows.items, parts));
}

/** Networks with the ids of their subnets (when asked for). */
export async function listNetworkPage(db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader): Promise<Page<NetworkListing>> {
  const rows = await page(db, db.selectFrom('networks as n').selectAll('n'), networkCollection, q, dialect, networkVisibility(reader));
  const subnets = new Map<string, string[]>();
  if (wantsField(q, 'subnets')) {
    for (const ids of chunks(rows.items.map((r) => r.id))) {
      const found = await db.selectFrom('subnets').select(['id', 'network_id']).where('network_id', 'in', ids).orderBy('created_at').orderBy('id').execute();
      for (const s of found) subnets.set(s.network_id, [...(subnets.get(s.network_id) ?? []), s.id]);
    }
  }
  return mapPage(rows, rows.items.map((r) => ({ network: rowToNetwork(r), subnetIds: subnets.get(r.id) ?? [] })));
}

export async function listSubnetPage(db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader): Promise<Page<Subnet>> {
  const rows = await page(db, db.selectFrom('subnets as s').selectAll('s'), subnetCollection, q, dialect, subnetVisibility(reader));
  return mapPage(rows, rows.items.map((r) => rowToSubnet(r)));
}

export async function listRbacPolicyPage(db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader): Promise<Page<RbacPolicy>> {
  const rows = await page(db, db.selectFrom('rbac_policies as rp').selectAll('rp'), rbacPolicyCollection, q, dialect, ownedVisibility(reader, 'rp'));
  return mapPage(rows, rows.items.map(rbacPolicyFromRow));
}

export async function listAddressGroupPage(db: Kysely<Database>, dialect: SqlDialect, q: ListQuery, reader: Reader): Promise<Page<AddressGroup>> {
  const rows = await page(db, db.selectFrom('address_groups as ag').selectAll('ag'), addressGroupCollection, q, dialect, addressGroupVisibility(reader));
  return mapPage(rows, await assembleAddressGroups(db, rows.items, wantsField(q, 'addresses')));
}
