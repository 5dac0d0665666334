// Identity writes in the change log: each one in the same transaction as its audit record, with who made it.
import type { IdentityStore } from '../store/index.js';
import type { TokenInfo } from './identity-service.js';
import { makeRequestContext, type RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';

/** A caller of the identity API: its token, and the request it sent (for the audit). */
export type IdentityCaller = TokenInfo & { readonly requestId?: string; readonly sourceAddress?: string };

/** Runs identity writes in one transaction with the change-log records `work` makes. */
export type AuditedIdentityWrite = <T>(caller: IdentityCaller | null, work: (identity: IdentityStore, record: UnitOfWork['record']) => Promise<T>) => Promise<T>;

function contextOf(caller: IdentityCaller): RequestContext {
  const ctx = makeRequestContext(caller.project?.id ?? '', caller.roles, { id: caller.user.id, name: caller.user.name });
  return {
    ...ctx,
    ...(caller.requestId !== undefined && { requestId: caller.requestId }),
    ...(caller.sourceAddress !== undefined && { sourceAddress: caller.sourceAddress }),
  };
}

export function createAuditedIdentityWrite(deps: ServiceDeps): AuditedIdentityWrite {
  return (caller, work) => inTransaction(deps, caller && contextOf(caller), (uow) => work(uow.session.identity, (...args) => uow.record(...args)));
}

/** A role assignment's record id: one assignment, so its grant is the revocation's `before`. */
export function assignmentRecordId(projectId: string, userId: string, role: string): string {
  return `${projectId}/${userId}/${role}`;
}
