// The change log read as history and audit: filtered and paged in SQL, newest first, each record with its before.
import type { Kysely, Selectable } from 'kysely';
import type { Actor, AuditFilter, Change, ChangeAction, ChangeResource, HistoryEntry, HistoryPage } from '../domain/index.js';
import type { ChangeTable, Database } from './database-schema.js';
import type { NewChange } from './store.js';

export function actorColumns(actor: Actor) {
  return {
    actor_user_id: actor.userId,
    actor_user_name: actor.userName,
    actor_project_id: actor.projectId,
    actor_roles: actor.roles.join(','),
    request_id: actor.requestId,
    source_address: actor.sourceAddress,
  };
}

export function changeToRow(seq: number, change: NewChange) {
  return {
    seq,
    resource: change.resource,
    action: change.action,
    object_id: change.id,
    project_id: change.projectId,
    object: change.object === null ? null : JSON.stringify(change.object),
    at: change.at,
    group_id: change.groupId ?? null,
    ...(change.actor && actorColumns(change.actor)),
  };
}

function rowToActor(r: Selectable<ChangeTable>): Actor | null {
  // Records written before the audit existed carry no actor at all.
  if (r.actor_roles === null) return null;
  return {
    userId: r.actor_user_id,
    userName: r.actor_user_name,
    projectId: r.actor_project_id,
    roles: r.actor_roles === '' ? [] : r.actor_roles.split(','),
    requestId: r.request_id,
    sourceAddress: r.source_address,
  };
}

function parsed(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

export function rowToChange(r: Selectable<ChangeTable>): Change {
  return {
    seq: Number(r.seq),
    resource: r.resource as ChangeResource,
    action: r.action as ChangeAction,
    id: r.object_id,
    projectId: r.project_id,
    object: parsed(r.object),
    at: r.at,
    actor: rowToActor(r),
  };
}

type UserColumn = 'c.actor_user_id' | 'c.actor_user_name';

async function pageOf(db: Kysely<Database>, filter: AuditFilter, page: HistoryPage, user?: [UserColumn, string]): Promise<HistoryEntry[]> {
  let q = db
    .selectFrom('changes as c')
    .selectAll('c')
    .select((eb) =>
      eb.selectFrom('changes as p').select('p.object')
        .whereRef('p.object_id', '=', 'c.object_id').whereRef('p.resource', '=', 'c.resource').whereRef('p.seq', '<', 'c.seq')
        .orderBy('p.seq', 'desc').limit(1).as('before'),
    );
  if (filter.projectId !== undefined) q = q.where('c.project_id', '=', filter.projectId);
  if (filter.groupId !== undefined) q = q.where('c.group_id', '=', filter.groupId);
  if (filter.resource !== undefined) q = q.where('c.resource', '=', filter.resource);
  if (filter.action !== undefined) q = q.where('c.action', '=', filter.action);
  if (filter.since !== undefined) q = q.where('c.at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('c.at', '<', filter.until);
  if (user) q = q.where(user[0], '=', user[1]);
  if (page.marker !== undefined) q = q.where('c.seq', '<', page.marker);
  const rows = await q.orderBy('c.seq', 'desc').limit(page.limit).execute();
  return rows.map((r) => ({ ...rowToChange(r), before: parsed(r.before), groupId: r.group_id }));
}

/**
 * One page of records matching `filter`, newest first. Each filter is an indexed column (docs/history.md), and
 * `before` is one indexed lookup per returned record: the previous record of the same object. A user is an id
 * or a name: one page by each index, merged, so the cost stays that of two pages (an OR would sort all of the
 * user's records).
 */
export async function listHistory(db: Kysely<Database>, filter: AuditFilter, page: HistoryPage): Promise<HistoryEntry[]> {
  if (filter.user === undefined) return pageOf(db, filter, page);
  const [byId, byName] = [await pageOf(db, filter, page, ['c.actor_user_id', filter.user]), await pageOf(db, filter, page, ['c.actor_user_name', filter.user])];
  const merged = new Map([...byId, ...byName].map((e) => [e.seq, e]));
  return [...merged.values()].sort((a, b) => b.seq - a.seq).slice(0, page.limit);
}

/** The newest seq recorded before `at`; 0 when none is. */
export async function lastChangeSeqBefore(db: Kysely<Database>, at: string): Promise<number> {
  const row = await db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).where('at', '<', at).executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
}
