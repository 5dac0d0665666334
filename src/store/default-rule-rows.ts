// Default security-group rule templates in SQL: rows, the list collection, and the reads group creation needs.
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { ruleIdentity, type DefaultRuleTemplate, type Direction, type EtherType, type TemplateUse } from '../domain/index.js';
import type { DefaultSecurityGroupRuleTable, Database } from './database-schema.js';
import { fetchPage, filterConditions, TRUE, type Attribute, type AttributeKind, type Collection, type SqlDialect } from './list-compiler.js';
import type { ListQuery, Page } from './list-query.js';

/** Which templates to load: absent keys do not restrict. */
export interface DefaultRuleScope {
  readonly ids?: readonly string[];
  /** Only templates used for this kind of new group. */
  readonly usedIn?: TemplateUse;
  /** Only templates with this rule identity (§7.4). */
  readonly sameRuleAs?: DefaultRuleTemplate;
}

const ref = (column: string): RawBuilder<unknown> => sql.ref(column);
const attr = (column: string, kind: AttributeKind, nullable = false): Attribute => ({ sql: ref(column), kind, nullable });

/** Templates (alias d): global, every caller allowed to read them sees all of them. */
export const defaultRuleCollection: Collection = {
  attributes: {
    id: attr('d.id', 'id'), direction: attr('d.direction', 'text'), ethertype: attr('d.ethertype', 'text'),
    protocol: attr('d.protocol', 'text', true), port_range_min: attr('d.port_range_min', 'integer', true),
    port_range_max: attr('d.port_range_max', 'integer', true), remote_ip_prefix: attr('d.remote_ip_prefix', 'text', true),
    remote_group_id: attr('d.remote_group_id', 'text', true), remote_address_group_id: attr('d.remote_address_group_id', 'id', true),
    description: attr('d.description', 'text'), used_in_default_sg: attr('d.used_in_default_sg', 'boolean'),
    used_in_non_default_sg: attr('d.used_in_non_default_sg', 'boolean'),
  },
  id: ref('d.id'),
  defaultOrder: [ref('d.created_at'), ref('d.id')],
};

/** The identity key templates are compared by; the group part is empty (templates belong to no group). */
export function templateIdentity(t: DefaultRuleTemplate): string {
  return ruleIdentity('', t);
}

function toRow(t: DefaultRuleTemplate): DefaultSecurityGroupRuleTable {
  return {
    id: t.id, direction: t.direction, ethertype: t.etherType, protocol: t.protocol, port_range_min: t.portRangeMin,
    port_range_max: t.portRangeMax, remote_ip_prefix: t.remoteIpPrefix, remote_group_id: t.remoteGroupId,
    remote_address_group_id: t.remoteAddressGroupId, description: t.description, used_in_default_sg: t.usedInDefaultSg ? 1 : 0,
    used_in_non_default_sg: t.usedInNonDefaultSg ? 1 : 0, identity: templateIdentity(t), created_at: t.createdAt,
  };
}

const intOrNull = (v: number | null): number | null => (v === null ? null : Number(v));

function fromRow(r: Selectable<DefaultSecurityGroupRuleTable>): DefaultRuleTemplate {
  return {
    id: r.id, direction: r.direction as Direction, etherType: r.ethertype as EtherType, protocol: r.protocol,
    portRangeMin: intOrNull(r.port_range_min), portRangeMax: intOrNull(r.port_range_max), remoteIpPrefix: r.remote_ip_prefix,
    remoteGroupId: r.remote_group_id, remoteAddressGroupId: r.remote_address_group_id, description: r.description,
    usedInDefaultSg: Number(r.used_in_default_sg) === 1, usedInNonDefaultSg: Number(r.used_in_non_default_sg) === 1, createdAt: r.created_at,
  };
}

export async function insertDefaultRule(db: Kysely<Database>, t: DefaultRuleTemplate): Promise<void> {
  await db.insertInto('default_security_group_rules').values(toRow(t)).execute();
}

export async function deleteDefaultRule(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('default_security_group_rules').where('id', '=', id).execute();
}

/** Templates in creation order; a group is built from them in this order. */
export async function listDefaultRules(db: Kysely<Database>, scope: DefaultRuleScope): Promise<DefaultRuleTemplate[]> {
  let q = db.selectFrom('default_security_group_rules').selectAll();
  if (scope.ids) q = scope.ids.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('id', 'in', scope.ids);
  if (scope.usedIn === 'default') q = q.where('used_in_default_sg', '=', 1);
  if (scope.usedIn === 'non-default') q = q.where('used_in_non_default_sg', '=', 1);
  if (scope.sameRuleAs) q = q.where('identity', '=', templateIdentity(scope.sameRuleAs));
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function listDefaultRulePage(db: Kysely<Database>, dialect: SqlDialect, query: ListQuery): Promise<Page<DefaultRuleTemplate>> {
  const base = db.selectFrom('default_security_group_rules as d').selectAll('d');
  const select = [TRUE, ...filterConditions(defaultRuleCollection, query, dialect)].reduce((qb, condition) => qb.where(condition), base);
  const page = await fetchPage(db, [select], defaultRuleCollection, query, dialect);
  return { items: page.items.map(fromRow), hasNext: page.hasNext, hasPrevious: page.hasPrevious };
}
