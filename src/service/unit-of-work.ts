// One write transaction: collects change-log records, with who made them, and publishes them after the commit.
import { groupOfChange, type Change, type ChangeAction, type ChangeResource } from '../domain/index.js';
import type { StoreSession } from '../store/index.js';
import { projectChange } from './host-projector.js';
import { actorOf, type RequestContext } from './request-context.js';
import { timestamp, type ServiceDeps } from './service-deps.js';

export interface UnitOfWork {
  readonly session: StoreSession;
  readonly at: string;
  /**
   * Appends a change in this transaction, and the host-feed records it causes; `object` is the domain object
   * after it, null on delete; `before` the port or rule as it was, for an update or delete of one (a deleted
   * rule's group, its history's key, is read from it).
   */
  record(resource: ChangeResource, action: ChangeAction, id: string, projectId: string, object: unknown, before?: unknown): Promise<void>;
}

/** `who`: the request making the writes, or null for the system (scheduled jobs). */
export async function inTransaction<T>(deps: ServiceDeps, who: RequestContext | null, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const changes: Change[] = [];
  const at = timestamp(deps.now());
  const actor = actorOf(who);
  const result = await deps.store.transaction(async (session) => {
    changes.length = 0;
    const uow: UnitOfWork = {
      session,
      at,
      async record(resource, action, id, projectId, object, before) {
        const group = groupOfChange(resource, id, object ?? before ?? null);
        const seq = await session.appendChange({ resource, action, id, projectId, object, at, actor, groupId: group });
        const change: Change = { seq, resource, action, id, projectId, object, at, actor };
        await projectChange(session, change, before ?? null);
        changes.push(change);
      },
    };
    return work(uow);
  });
  if (changes.length > 0) deps.onCommit(changes);
  return result;
}

/** Runs `create` for each draft in one transaction, in order: a bulk POST writes all of them or none. */
export async function createAll<D, T>(deps: ServiceDeps, who: RequestContext, drafts: readonly D[], create: (uow: UnitOfWork, draft: D) => Promise<T>): Promise<T[]> {
  return inTransaction(deps, who, async (uow) => {
    const out: T[] = [];
    for (const d of drafts) out.push(await create(uow, d));
    return out;
  });
}
