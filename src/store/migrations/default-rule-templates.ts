// Migration 009: default security-group rule templates (seeded with Neutron's legacy four) and networks' router:external.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';
import { ruleIdentity } from '../../domain/index.js';

type Seed = readonly [direction: 'ingress' | 'egress', etherType: 'IPv4' | 'IPv6', remoteGroupId: string | null, inDefault: boolean, inOthers: boolean];

/** What groups got before templates existed: egress-all everywhere, ingress from the group itself in `default`. */
const SEEDS: readonly Seed[] = [
  ['egress', 'IPv4', null, true, true],
  ['egress', 'IPv6', null, true, true],
  ['ingress', 'IPv4', 'PARENT', true, false],
  ['ingress', 'IPv6', 'PARENT', true, false],
];

function seedRow([direction, etherType, remoteGroupId, inDefault, inOthers]: Seed, at: string) {
  const spec = { direction, etherType, protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId, remoteAddressGroupId: null };
  return {
    id: randomUUID(), direction, ethertype: etherType, protocol: null, port_range_min: null, port_range_max: null,
    remote_ip_prefix: null, remote_group_id: remoteGroupId, remote_address_group_id: null,
    // Neutron's migration gives its seeds these descriptions; rules made from templates get none.
    description: `Legacy default SG rule for ${direction} traffic`,
    used_in_default_sg: inDefault ? 1 : 0, used_in_non_default_sg: inOthers ? 1 : 0,
    identity: ruleIdentity('', spec), created_at: at,
  };
}

export function defaultRuleTemplates(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('default_security_group_rules')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('direction', 'varchar(16)', (c) => c.notNull())
        .addColumn('ethertype', 'varchar(8)', (c) => c.notNull())
        .addColumn('protocol', 'varchar(40)')
        .addColumn('port_range_min', 'integer')
        .addColumn('port_range_max', 'integer')
        .addColumn('remote_ip_prefix', 'varchar(64)')
        // Not a reference: a template names `PARENT` or any group, as Neutron's does.
        .addColumn('remote_group_id', 'varchar(36)')
        .addColumn('remote_address_group_id', 'varchar(36)')
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('used_in_default_sg', 'integer', (c) => c.notNull())
        .addColumn('used_in_non_default_sg', 'integer', (c) => c.notNull())
        // Not unique: two equal templates may serve disjoint kinds of group.
        .addColumn('identity', 'varchar(400)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('default_rules_identity').on('default_security_group_rules').column('identity').execute();
      const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await db.insertInto('default_security_group_rules' as never).values(SEEDS.map((s) => seedRow(s, at)) as never).execute();
      await db.schema.alterTable('networks').addColumn('router_external', 'integer', (c) => c.notNull().defaultTo(sql`0`)).execute();
    },
  };
}
