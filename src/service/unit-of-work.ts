// One write transaction: collects change-log records and publishes them after the commit.
import type { Change, ChangeAction, ChangeResource } from '../domain/index.js';
import type { StoreSession } from '../store/index.js';
import { projectChange } from './host-projector.js';
import { timestamp, type ServiceDeps } from './service-deps.js';

export interface UnitOfWork {
  readonly session: StoreSession;
  readonly at: string;
  /**
   * Appends a change in this transaction, and the host-feed records it causes; `object` is the domain object
   * after it, null on delete; `before` the port or rule as it was, for an update or delete of one.
   */
  record(resource: ChangeResource, action: ChangeAction, id: string, projectId: string, object: unknown, before?: unknown): Promise<void>;
}

export async function inTransaction<T>(deps: ServiceDeps, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const changes: Change[] = [];
  const at = timestamp(deps.now());
  const result = await deps.store.transaction(async (session) => {
    changes.length = 0;
    const uow: UnitOfWork = {
      session,
      at,
      async record(resource, action, id, projectId, object, before) {
        const seq = await session.appendChange({ resource, action, id, projectId, object, at });
        const change: Change = { seq, resource, action, id, projectId, object, at };
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
export async function createAll<D, T>(deps: ServiceDeps, drafts: readonly D[], create: (uow: UnitOfWork, draft: D) => Promise<T>): Promise<T[]> {
  return inTransaction(deps, async (uow) => {
    const out: T[] = [];
    for (const d of drafts) out.push(await create(uow, d));
    return out;
  });
}
