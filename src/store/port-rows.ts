// Ports span four tables (ports, fixed IPs, groups, address pairs): loading and writing them as one.
import type { Kysely, Selectable } from 'kysely';
import type { Port } from '../domain/index.js';
import type { Database, PortTable } from './database-schema.js';

export function portToRow(p: Port): PortTable {
  return {
    id: p.id,
    project_id: p.projectId,
    network_id: p.networkId,
    name: p.name,
    description: p.description,
    mac_address: p.macAddress,
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    host_id: p.hostId,
    binding_profile: JSON.stringify(p.bindingProfile ?? {}),
    admin_state_up: p.adminStateUp ? 1 : 0,
    port_security_enabled: p.portSecurityEnabled ? 1 : 0,
    revision_number: p.revisionNumber,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

/** Writes a port's child rows (after its old ones were removed). */
export async function insertPortChildren(db: Kysely<Database>, p: Port): Promise<void> {
  if (p.fixedIps.length > 0) {
    await db
      .insertInto('port_fixed_ips')
      .values(p.fixedIps.map((ip) => ({ port_id: p.id, network_id: p.networkId, subnet_id: ip.subnetId, ip_address: ip.ipAddress })))
      .execute();
  }
  if (p.securityGroupIds.length > 0) {
    await db
      .insertInto('port_security_groups')
      .values(p.securityGroupIds.map((g, i) => ({ port_id: p.id, security_group_id: g, position: i })))
      .execute();
  }
  if (p.allowedAddressPairs.length > 0) {
    await db
      .insertInto('port_allowed_address_pairs')
      .values(
        p.allowedAddressPairs.map((a, i) => ({ port_id: p.id, ip_address: a.ipAddress, mac_address: a.macAddress, position: i })),
      )
      .execute();
  }
}

export async function deletePortChildren(db: Kysely<Database>, portId: string): Promise<void> {
  await db.deleteFrom('port_fixed_ips').where('port_id', '=', portId).execute();
  await db.deleteFrom('port_security_groups').where('port_id', '=', portId).execute();
  await db.deleteFrom('port_allowed_address_pairs').where('port_id', '=', portId).execute();
}

function groupBy<T extends { port_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.port_id);
    if (list) list.push(r);
    else out.set(r.port_id, [r]);
  }
  return out;
}

/** Which child tables to read (a list's `fields` may leave some out); a part not read is empty. */
export interface PortParts {
  readonly fixedIps: boolean;
  readonly securityGroups: boolean;
  readonly addressPairs: boolean;
}

const ALL_PARTS: PortParts = { fixedIps: true, securityGroups: true, addressPairs: true };

/** Builds full ports from their rows; child rows are loaded for exactly the given ports. */
export async function assemblePorts(db: Kysely<Database>, rows: readonly Selectable<PortTable>[], parts = ALL_PARTS): Promise<Port[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
  // The three child tables are independent: on PostgreSQL they go out on separate pooled connections at once.
  const read = async <T>(wanted: boolean, one: (chunk: string[]) => Promise<T[]>): Promise<T[]> =>
    wanted ? (await Promise.all(chunks.map(one))).flat() : [];
  const [ips, groups, pairs] = await Promise.all([
    read(parts.fixedIps, (chunk) => db.selectFrom('port_fixed_ips').selectAll().where('port_id', 'in', chunk).execute()),
    read(parts.securityGroups, (chunk) => db.selectFrom('port_security_groups').selectAll().where('port_id', 'in', chunk).orderBy('position').execute()),
    read(parts.addressPairs, (chunk) => db.selectFrom('port_allowed_address_pairs').selectAll().where('port_id', 'in', chunk).orderBy('position').execute()),
  ]);
  const ipsBy = groupBy(ips);
  const groupsBy = groupBy(groups);
  const pairsBy = groupBy(pairs);
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    networkId: r.network_id,
    name: r.name,
    description: r.description,
    macAddress: r.mac_address,
    fixedIps: (ipsBy.get(r.id) ?? []).map((ip) => ({ subnetId: ip.subnet_id, ipAddress: ip.ip_address })),
    deviceId: r.device_id,
    deviceOwner: r.device_owner,
    hostId: r.host_id,
    ...(r.binding_profile !== '{}' && { bindingProfile: JSON.parse(r.binding_profile) as Record<string, unknown> }),
    adminStateUp: Number(r.admin_state_up) === 1,
    securityGroupIds: (groupsBy.get(r.id) ?? []).map((g) => g.security_group_id),
    portSecurityEnabled: Number(r.port_security_enabled) === 1,
    allowedAddressPairs: (pairsBy.get(r.id) ?? []).map((a) => ({ ipAddress: a.ip_address, macAddress: a.mac_address })),
    revisionNumber: Number(r.revision_number),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
