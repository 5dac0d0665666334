// Host feeds in SQL: the group → hosts and remote → hosts counts, and each host's change records.
import { sql, type Kysely } from 'kysely';
import { BugError, type HostChange, type HostResource, type RemoteKind } from '../domain/index.js';
import type { Database } from './database-schema.js';
import type { HostChangeRow } from './store.js';

/** Host of the resync markers (no real host id is `*`: the API refuses it). */
export const MARKER_HOST = '*';

function deltas(keys: readonly string[], by: 1 | -1): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + by);
  return out;
}

/** Adds `by` per occurrence of each group; returns the groups whose count left or reached zero. */
export async function countHostGroups(db: Kysely<Database>, host: string, groupIds: readonly string[], by: 1 | -1): Promise<string[]> {
  const crossed: string[] = [];
  for (const [groupId, d] of deltas(groupIds, by)) {
    const where = { host_id: host, group_id: groupId };
    const after = d > 0
      ? await db.insertInto('host_groups').values({ ...where, ports: d })
        .onConflict((oc) => oc.columns(['host_id', 'group_id']).doUpdateSet({ ports: (eb) => eb('host_groups.ports', '+', eb.ref('excluded.ports')) }))
        .returning('ports').executeTakeFirst()
      : await db.updateTable('host_groups').set((eb) => ({ ports: eb('ports', '+', d) }))
        .where('host_id', '=', host).where('group_id', '=', groupId).returning('ports').executeTakeFirst();
    if (!after) throw new BugError(`host ${host} had no count for group ${groupId}`);
    if (d > 0 ? after.ports === d : after.ports <= 0) crossed.push(groupId);
    if (after.ports <= 0) await db.deleteFrom('host_groups').where('host_id', '=', host).where('group_id', '=', groupId).execute();
  }
  return crossed;
}

/** Adds `by` per occurrence of each remote; returns the remotes whose count left or reached zero. */
export async function countHostRemotes(db: Kysely<Database>, host: string, kind: RemoteKind, remoteIds: readonly string[], by: 1 | -1): Promise<string[]> {
  const crossed: string[] = [];
  for (const [remoteId, d] of deltas(remoteIds, by)) {
    const after = d > 0
      ? await db.insertInto('host_remotes').values({ host_id: host, kind, remote_id: remoteId, rules: d })
        .onConflict((oc) => oc.columns(['host_id', 'kind', 'remote_id']).doUpdateSet({ rules: (eb) => eb('host_remotes.rules', '+', eb.ref('excluded.rules')) }))
        .returning('rules').executeTakeFirst()
      : await db.updateTable('host_remotes').set((eb) => ({ rules: eb('rules', '+', d) }))
        .where('host_id', '=', host).where('kind', '=', kind).where('remote_id', '=', remoteId).returning('rules').executeTakeFirst();
    if (!after) throw new BugError(`host ${host} had no count for ${kind} ${remoteId}`);
    if (d > 0 ? after.rules === d : after.rules <= 0) crossed.push(remoteId);
    if (after.rules <= 0) await db.deleteFrom('host_remotes').where('host_id', '=', host).where('kind', '=', kind).where('remote_id', '=', remoteId).execute();
  }
  return crossed;
}

/** The hosts with a port in each of these groups. */
export async function hostsOfGroups(db: Kysely<Database>, groupIds: readonly string[]): Promise<{ host: string; groupId: string }[]> {
  if (groupIds.length === 0) return [];
  const rows = await db.selectFrom('host_groups').select(['host_id', 'group_id']).where('group_id', 'in', groupIds).execute();
  return rows.map((r) => ({ host: r.host_id, groupId: r.group_id }));
}

/** The hosts whose rules name each of these remotes (only `host`'s when given). */
export async function hostRemotes(db: Kysely<Database>, kind: RemoteKind, remoteIds: readonly string[], host?: string): Promise<{ host: string; remoteId: string }[]> {
  if (remoteIds.length === 0) return [];
  let q = db.selectFrom('host_remotes').select(['host_id', 'remote_id']).where('kind', '=', kind).where('remote_id', 'in', remoteIds);
  if (host !== undefined) q = q.where('host_id', '=', host);
  return (await q.execute()).map((r) => ({ host: r.host_id, remoteId: r.remote_id }));
}

export async function appendHostChanges(db: Kysely<Database>, rows: readonly HostChangeRow[]): Promise<void> {
  const values = rows.map((r) => ({
    host_id: r.host, seq: r.seq, pos: r.pos, resource: r.resource, action: r.action, object_id: r.id,
    object: r.object === null ? null : JSON.stringify(r.object),
  }));
  for (let i = 0; i < values.length; i += 100) await db.insertInto('host_changes').values(values.slice(i, i + 100)).execute();
}

/**
 * The host's records with `since < seq ≤ upTo`, in order: about `limit`, never ending inside a seq (a
 * reader's position is a seq, so a page holds every record of each seq it reaches).
 */
export async function listHostChanges(db: Kysely<Database>, host: string, since: number, upTo: number, limit: number): Promise<HostChange[]> {
  const base = db.selectFrom('host_changes').selectAll().where('host_id', '=', host).where('seq', '<=', upTo);
  const rows = await base.where('seq', '>', since).orderBy('seq').orderBy('pos').limit(limit).execute();
  const last = rows[rows.length - 1];
  if (rows.length === limit && last) {
    rows.push(...await base.where('seq', '=', last.seq).where('pos', '>', last.pos).orderBy('pos').execute());
  }
  return rows.map((r) => ({
    seq: Number(r.seq), resource: r.resource as HostResource, action: r.action as HostChange['action'], id: r.object_id,
    object: r.object === null ? null : (JSON.parse(r.object) as HostChange['object']),
  }));
}

/** The newest resync marker: host feeds cannot be followed from before it. */
export async function hostFeedFloor(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('host_changes').select((eb) => eb.fn.max('seq').as('seq')).where('host_id', '=', MARKER_HOST).executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
}

export async function pruneHostChanges(db: Kysely<Database>, upTo: number): Promise<void> {
  await db.deleteFrom('host_changes').where('seq', '<=', upTo).where('host_id', '<>', MARKER_HOST).execute();
  await db.deleteFrom('host_changes').where('host_id', '=', MARKER_HOST).where('seq', '<', (eb) =>
    eb.selectFrom('host_changes as m').select((e) => e.fn.max('m.seq').as('s')).where('m.host_id', '=', MARKER_HOST)).execute();
}

/**
 * Recomputes the counts from the ports and rules (after a migration or a bulk load, whose objects no host
 * feed carried) and marks the log's end: feeds resync from there.
 */
export async function rebuildHostIndex(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('host_groups').execute();
  await db.deleteFrom('host_remotes').execute();
  await sql`insert into host_groups (host_id, group_id, ports)
    select p.host_id, g.security_group_id, count(*) from ports p join port_security_groups g on g.port_id = p.id
    where p.host_id <> '' group by p.host_id, g.security_group_id`.execute(db);
  await sql`insert into host_remotes (host_id, kind, remote_id, rules)
    select h.host_id, 'group', r.remote_group_id, count(*) from host_groups h join security_group_rules r on r.security_group_id = h.group_id
    where r.remote_group_id is not null group by h.host_id, r.remote_group_id`.execute(db);
  await sql`insert into host_remotes (host_id, kind, remote_id, rules)
    select h.host_id, 'address_group', r.remote_address_group_id, count(*) from host_groups h join security_group_rules r on r.security_group_id = h.group_id
    where r.remote_address_group_id is not null group by h.host_id, r.remote_address_group_id`.execute(db);
  const latest = await db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  const seq = latest?.seq === null || latest?.seq === undefined ? 0 : Number(latest.seq);
  await db.insertInto('host_changes').values({ host_id: MARKER_HOST, seq, pos: 0, resource: 'resync', action: 'update', object_id: '', object: null })
    .onConflict((oc) => oc.doNothing()).execute();
}
