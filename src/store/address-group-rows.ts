// Address group rows: the address_groups and address_group_addresses queries, used by the Kysely session.
import type { Kysely, Selectable } from 'kysely';
import type { AddressGroup } from '../domain/index.js';
import type { AddressGroupTable, Database } from './database-schema.js';
import type { Scope } from './store.js';

const NO_MATCH = '\u0001';
const emptySafe = (values: readonly string[]): readonly string[] => (values.length === 0 ? [NO_MATCH] : values);
/** Ids per query when loading the addresses of many groups. */
const CHUNK = 500;

function toRow(g: AddressGroup): AddressGroupTable {
  return {
    id: g.id, project_id: g.projectId, name: g.name, description: g.description,
    revision_number: g.revisionNumber, created_at: g.createdAt, updated_at: g.updatedAt,
  };
}

function fromRow(r: Selectable<AddressGroupTable>, addresses: readonly string[]): AddressGroup {
  return {
    id: r.id, projectId: r.project_id, name: r.name, description: r.description, addresses,
    revisionNumber: Number(r.revision_number), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Addresses of the groups, each list in code-point order (sorted here: collations differ between back-ends). */
async function addressesOf(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('address_group_addresses').selectAll()
      .where('address_group_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.address_group_id, [...(out.get(r.address_group_id) ?? []), r.address]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** Domain address groups from rows, with their addresses (read for these rows only). */
export async function assembleAddressGroups(db: Kysely<Database>, rows: readonly Selectable<AddressGroupTable>[], withAddresses = true): Promise<AddressGroup[]> {
  const addresses = withAddresses ? await addressesOf(db, rows.map((r) => r.id)) : new Map<string, string[]>();
  return rows.map((r) => fromRow(r, addresses.get(r.id) ?? []));
}

export async function insertAddressGroup(db: Kysely<Database>, group: AddressGroup): Promise<void> {
  await db.insertInto('address_groups').values(toRow(group)).execute();
  await addAddresses(db, group.id, group.addresses);
}

/** Writes name and description (the fields an update owns) and the revision; addresses change by row. */
export async function updateAddressGroup(db: Kysely<Database>, group: AddressGroup): Promise<void> {
  await db.updateTable('address_groups')
    .set({ name: group.name, description: group.description, revision_number: group.revisionNumber, updated_at: group.updatedAt })
    .where('id', '=', group.id).execute();
}

export async function deleteAddressGroup(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('address_group_addresses').where('address_group_id', '=', id).execute();
  await db.deleteFrom('rbac_policies').where('object_type', '=', 'address_group').where('object_id', '=', id).execute();
  await db.deleteFrom('address_groups').where('id', '=', id).execute();
}

export async function addAddresses(db: Kysely<Database>, id: string, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  await db.insertInto('address_group_addresses').values(addresses.map((address) => ({ address_group_id: id, address }))).execute();
}

export async function removeAddresses(db: Kysely<Database>, id: string, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  await db.deleteFrom('address_group_addresses').where('address_group_id', '=', id).where('address', 'in', addresses).execute();
}

/** Which of `addresses` the group holds (an indexed lookup of those rows only). */
export async function heldAddresses(db: Kysely<Database>, id: string, addresses: readonly string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('address_group_addresses').select('address')
    .where('address_group_id', '=', id).where('address', 'in', emptySafe(addresses)).execute();
  return new Set(rows.map((r) => r.address));
}

export async function listAddressGroups(db: Kysely<Database>, scope: Scope): Promise<AddressGroup[]> {
  let q = db.selectFrom('address_groups').selectAll();
  if (scope.ids) q = q.where('id', 'in', emptySafe(scope.ids));
  return assembleAddressGroups(db, await q.orderBy('created_at').orderBy('id').execute());
}

/** Whether any rule names the group as its remote (one indexed row read at most). */
export async function isAddressGroupInUse(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db.selectFrom('security_group_rules').select('id').where('remote_address_group_id', '=', id).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Distinct projects, in id order and at most `limit`, owning a rule that names the group; `except` left out. */
export async function projectsWithRulesUsing(db: Kysely<Database>, id: string, except: readonly string[], only: string | undefined, limit: number): Promise<string[]> {
  let q = db.selectFrom('security_group_rules').select('project_id').distinct().where('remote_address_group_id', '=', id);
  if (except.length > 0) q = q.where('project_id', 'not in', except);
  if (only !== undefined) q = q.where('project_id', '=', only);
  const rows = await q.orderBy('project_id').limit(limit).execute();
  return rows.map((r) => r.project_id);
}
