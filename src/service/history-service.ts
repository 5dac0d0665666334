// A group's history and the audit: the change log read through indexed queries, each caller seeing only its own.
import { NotFoundError, type AuditFilter, type HistoryEntry, type HistoryPage } from '../domain/index.js';
import { canReadGroup } from './group-sharing.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';

/** The audit's filters a caller may send; the project is the service's to set. */
export type AuditQuery = Omit<AuditFilter, 'projectId' | 'groupId'>;

function groupNotFound(id: string): NotFoundError {
  return new NotFoundError('SecurityGroupNotFound', `Security group ${id} does not exist`);
}

export function createHistoryService(deps: Pick<ServiceDeps, 'store'>) {
  const store = deps.store;
  return {
    /**
     * A group's records, newest first: its own and its rules' (deleted ones too). A group that exists is
     * shown to whoever may read it; a deleted one only to admins and to its project (which reads its own records).
     */
    async groupHistory(ctx: RequestContext, groupId: string, page: HistoryPage): Promise<HistoryEntry[]> {
      const [group] = await store.listGroups({ ids: [groupId] });
      if (group && !(await canReadGroup(ctx, store, group))) throw groupNotFound(groupId);
      const filter: AuditFilter = group || ctx.isAdmin ? { groupId } : { groupId, projectId: ctx.projectId };
      const entries = await store.listHistory(filter, page);
      // Another project's deleted group and a group that never existed both answer 404, as any unknown id does.
      if (!group && entries.length === 0 && page.marker === undefined) throw groupNotFound(groupId);
      return entries;
    },

    /** Admins read every project's records (identity's too); a project's members read their own project's. */
    async audit(ctx: RequestContext, query: AuditQuery, page: HistoryPage): Promise<HistoryEntry[]> {
      return store.listHistory(ctx.isAdmin ? query : { ...query, projectId: ctx.projectId }, page);
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
