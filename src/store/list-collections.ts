// Each list's wire attributes as SQL expressions, and who may see which rows: what the list compiler works from.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { NETWORK_MTU, RBAC_WILDCARD } from '../domain/index.js';
import { and, isIn, TRUE, type Attribute, type AttributeKind, type Collection, type SqlDialect } from './list-compiler.js';
import type { FilterValue, Reader, TagFilter } from './list-query.js';

const ref = (column: string): RawBuilder<unknown> => sql.ref(column);
const attr = (column: string, kind: AttributeKind, nullable = false): Attribute => ({ sql: ref(column), kind, nullable });
const asFlag = (condition: RawBuilder<SqlBool>): RawBuilder<unknown> => sql`(case when ${condition} then 1 else 0 end)`;

function owned(alias: string): Record<string, Attribute> {
  return { project_id: attr(`${alias}.project_id`, 'text'), tenant_id: attr(`${alias}.project_id`, 'text') };
}

function stamped(alias: string) {
  return { updatedAt: ref(`${alias}.updated_at`), defaultOrder: [ref(`${alias}.created_at`), ref(`${alias}.id`)], id: ref(`${alias}.id`) };
}

/** An RBAC policy shares the group with `projectId`, directly or through `*`. */
function sharedWith(groupId: RawBuilder<unknown>, projectId: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from rbac_policies sp where sp.object_id = ${groupId}
    and sp.object_type = 'security_group' and sp.action = 'access_as_shared' and sp.target_project in (${projectId}, ${RBAC_WILDCARD}))`;
}

/** Ids of the groups shared with `projectId`: a select, to put in parentheses or a union. */
function sharedGroupIds(projectId: string): RawBuilder<unknown> {
  return sql`select sp.object_id from rbac_policies sp where sp.object_type = 'security_group'
    and sp.action = 'access_as_shared' and sp.target_project in (${projectId}, ${RBAC_WILDCARD})`;
}

function tagConditions(tags: TagFilter): RawBuilder<SqlBool>[] {
  const having = (list: readonly string[]) =>
    sql<SqlBool>`exists (select 1 from security_group_tags t where t.security_group_id = g.id and t.tag in (${sql.join(list)}))`;
  const each = (list: readonly string[]) => and(list.map((t) => having([t])));
  const out: RawBuilder<SqlBool>[] = [];
  if (tags.all.length > 0) out.push(each(tags.all));
  if (tags.any.length > 0) out.push(having(tags.any));
  if (tags.notAll.length > 0) out.push(sql<SqlBool>`not ${each(tags.notAll)}`);
  if (tags.notAny.length > 0) out.push(sql<SqlBool>`not ${having(tags.notAny)}`);
  return out;
}

/**
 * Who sees what, as disjoint arms whose union is the visible set: the caller's project first (an index on
 * (project_id, …) walks it in order), then the few rows that reach it otherwise; admin has one arm, everything.
 */
export type Arms = readonly RawBuilder<SqlBool>[];

const EVERYTHING: Arms = [TRUE];

/** Security groups (alias g); `shared` is per caller. */
export function groupCollection(reader: Reader): Collection {
  return {
    attributes: {
      id: attr('g.id', 'id'), name: attr('g.name', 'text'), description: attr('g.description', 'text'), ...owned('g'),
      stateful: attr('g.stateful', 'boolean'), shared: { sql: asFlag(sharedWith(ref('g.id'), reader.projectId)), kind: 'boolean' },
      revision_number: attr('g.revision_number', 'integer'),
    },
    ...stamped('g'),
    tagged: tagConditions,
  };
}

/** Groups the reader sees: its own, those shared with it; admin every one. */
export function groupVisibility(reader: Reader): Arms {
  if (reader.admin) return EVERYTHING;
  const p = reader.projectId;
  return [sql<SqlBool>`g.project_id = ${p}`, sql<SqlBool>`g.project_id <> ${p} and g.id in (${sharedGroupIds(p)})`];
}

/** Whether the rule's group is its project's default group. */
export const ruleInDefaultGroup = sql`(select dg.is_default from security_groups dg where dg.id = r.security_group_id)`;

/** Rules (alias r). */
export const ruleCollection: Collection = {
  attributes: {
    id: attr('r.id', 'id'), security_group_id: attr('r.security_group_id', 'id'), direction: attr('r.direction', 'text'),
    ethertype: attr('r.ethertype', 'text'), protocol: attr('r.protocol', 'text', true),
    port_range_min: attr('r.port_range_min', 'integer', true), port_range_max: attr('r.port_range_max', 'integer', true),
    remote_ip_prefix: attr('r.remote_ip_prefix', 'text', true), normalized_cidr: attr('r.normalized_cidr', 'text', true),
    remote_group_id: attr('r.remote_group_id', 'id', true), remote_address_group_id: attr('r.remote_address_group_id', 'id', true),
    description: attr('r.description', 'text'), ...owned('r'), revision_number: attr('r.revision_number', 'integer'),
    belongs_to_default_sg: { sql: ruleInDefaultGroup, kind: 'boolean' },
  },
  ...stamped('r'),
};

/**
 * Rules the reader sees: owned by its project, owned by another project in one of its groups, or in a group
 * shared with it; admin every one. The second case is the rows of the partial index `rules_foreign_owner`
 * (migration 012), whose predicate the arm repeats word for word so both back-ends match it: one index
 * range as long as its answer, however many groups or rules the project has. Each arm is disjoint from the
 * others by who owns the rule and the group.
 */
export function ruleVisibility(reader: Reader): Arms {
  if (reader.admin) return EVERYTHING;
  const p = reader.projectId;
  return [
    sql<SqlBool>`r.project_id = ${p}`,
    sql<SqlBool>`r.group_project_id = ${p} and r.project_id <> r.group_project_id`,
    sql<SqlBool>`r.project_id <> ${p} and r.group_project_id <> ${p} and r.security_group_id in (${sharedGroupIds(p)})`,
  ];
}

/** Ports (alias p). */
export const portCollection: Collection = {
  attributes: {
    id: attr('p.id', 'id'), name: attr('p.name', 'text'), description: attr('p.description', 'text'),
    network_id: attr('p.network_id', 'id'), mac_address: attr('p.mac_address', 'text'), device_id: attr('p.device_id', 'text'),
    device_owner: attr('p.device_owner', 'text'), 'binding:host_id': attr('p.host_id', 'text'),
    admin_state_up: attr('p.admin_state_up', 'boolean'), port_security_enabled: attr('p.port_security_enabled', 'boolean'),
    status: { sql: sql`(case when p.admin_state_up = 1 then 'ACTIVE' else 'DOWN' end)`, kind: 'text' },
    // A list attribute: only filtered (through `contains`), never sorted, so its `sql` is never read.
    security_groups: { sql: ref('p.id'), kind: 'id', contains: portInGroups },
    ...owned('p'), revision_number: attr('p.revision_number', 'integer'),
  },
  ...stamped('p'),
};

/**
 * The port is in one of the groups: the groups' rows of port_security_groups (by psg_group), then each port
 * by primary key. On PostgreSQL the port ids are an array (`= any(array(…))`): as an `IN` subquery the
 * planner, which cannot know a group holds few ports, hashes every port of the project once it has a few hundred.
 */
export function portInGroups(groupIds: readonly FilterValue[], dialect: SqlDialect): RawBuilder<SqlBool> {
  const ports = sql`select pg.port_id from port_security_groups pg where ${isIn(ref('pg.security_group_id'), groupIds)}`;
  return dialect === 'postgres' ? sql<SqlBool>`p.id = any(array(${ports}))` : sql<SqlBool>`p.id in (${ports})`;
}

/** Networks (alias n); visible when own, shared, or to admin. */
export const networkCollection: Collection = {
  attributes: {
    id: attr('n.id', 'id'), name: attr('n.name', 'text'), description: attr('n.description', 'text'), ...owned('n'),
    shared: attr('n.shared', 'boolean'), admin_state_up: attr('n.admin_state_up', 'boolean'),
    port_security_enabled: attr('n.port_security_enabled', 'boolean'), status: { sql: sql`'ACTIVE'`, kind: 'text' },
    revision_number: attr('n.revision_number', 'integer'), 'router:external': attr('n.router_external', 'boolean'),
    // Every network has Neutron's default MTU (no segments, no tunnels): a constant, as `status` is.
    mtu: { sql: sql`${sql.lit(NETWORK_MTU)}`, kind: 'integer' },
  },
  ...stamped('n'),
};

/** Networks the reader sees: its own, shared and external ones (Neutron's get_network policy); admin every one. */
export function networkVisibility(reader: Reader): Arms {
  if (reader.admin) return EVERYTHING;
  const p = reader.projectId;
  return [sql<SqlBool>`n.project_id = ${p}`, sql<SqlBool>`n.project_id <> ${p} and (n.shared = 1 or n.router_external = 1)`];
}

/** Subnets (alias s); visible with their network. */
export const subnetCollection: Collection = {
  attributes: {
    id: attr('s.id', 'id'), name: attr('s.name', 'text'), description: attr('s.description', 'text'),
    network_id: attr('s.network_id', 'id'), cidr: attr('s.cidr', 'text'), ip_version: attr('s.ip_version', 'integer'),
    gateway_ip: attr('s.gateway_ip', 'text', true), enable_dhcp: attr('s.enable_dhcp', 'boolean'), ...owned('s'),
    revision_number: attr('s.revision_number', 'integer'),
  },
  ...stamped('s'),
};

/** Subnets of the networks the reader sees, external ones included (by subnets' network_id index, network by network). */
export function subnetVisibility(reader: Reader): Arms {
  if (reader.admin) return EVERYTHING;
  const p = reader.projectId;
  return [
    sql<SqlBool>`s.network_id in (select sn.id from networks sn where sn.project_id = ${p})`,
    sql<SqlBool>`s.network_id in (select sn.id from networks sn where sn.project_id <> ${p} and (sn.shared = 1 or sn.router_external = 1))`,
  ];
}

/** Address groups (alias ag); `addresses` is a list, neither filtered nor sorted (as in Neutron). */
export const addressGroupCollection: Collection = {
  attributes: {
    id: attr('ag.id', 'id'), name: attr('ag.name', 'text'), description: attr('ag.description', 'text'), ...owned('ag'),
    revision_number: attr('ag.revision_number', 'integer'),
  },
  ...stamped('ag'),
};

/** Address groups the reader sees: its own, those an RBAC policy shares with it; admin every one. */
export function addressGroupVisibility(reader: Reader): Arms {
  if (reader.admin) return EVERYTHING;
  const p = reader.projectId;
  return [
    sql<SqlBool>`ag.project_id = ${p}`,
    sql<SqlBool>`ag.project_id <> ${p} and ag.id in (select sp.object_id from rbac_policies sp where sp.object_type = 'address_group'
      and sp.action = 'access_as_shared' and sp.target_project in (${p}, ${RBAC_WILDCARD}))`,
  ];
}

/** RBAC policies (alias rp): no timestamps, listed by id. */
export const rbacPolicyCollection: Collection = {
  attributes: {
    id: attr('rp.id', 'id'), object_type: attr('rp.object_type', 'text'), object_id: attr('rp.object_id', 'id'),
    action: attr('rp.action', 'text'), target_tenant: attr('rp.target_project', 'text'), ...owned('rp'),
  },
  id: ref('rp.id'),
  defaultOrder: [ref('rp.id')],
};

/** Rows owned by the reader's project (admin: all). */
export function ownedVisibility(reader: Reader, alias: string): Arms {
  return reader.admin ? EVERYTHING : [sql<SqlBool>`${ref(`${alias}.project_id`)} = ${reader.projectId}`];
}
