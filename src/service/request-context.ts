// Who is asking: the project, roles and user of a request, whatever authenticated it (noauth or tokens).
import { SYSTEM_ACTOR, type Actor } from '../domain/index.js';

export interface RequestContext {
  readonly projectId: string;
  readonly roles: readonly string[];
  readonly isAdmin: boolean;
  /** Known with tokens (and from noauth's optional X-User-Id / X-User-Name headers). */
  readonly userId?: string;
  readonly userName?: string;
  /** The request's id and the client's address, for the audit. */
  readonly requestId?: string;
  readonly sourceAddress?: string;
}

export interface UserRefOfRequest {
  readonly id?: string;
  readonly name?: string;
}

export function makeRequestContext(projectId: string, roles: readonly string[], user: UserRefOfRequest = {}): RequestContext {
  const lower = roles.map((r) => r.toLowerCase());
  return {
    projectId, roles: lower, isAdmin: lower.includes('admin'),
    ...(user.id !== undefined && { userId: user.id }), ...(user.name !== undefined && { userName: user.name }),
  };
}

/** The audit's author of a request's writes; null (no request) is the system. */
export function actorOf(ctx: RequestContext | null): Actor {
  if (ctx === null) return SYSTEM_ACTOR;
  return {
    userId: ctx.userId ?? null, userName: ctx.userName ?? null, projectId: ctx.projectId, roles: ctx.roles,
    requestId: ctx.requestId ?? null, sourceAddress: ctx.sourceAddress ?? null,
  };
}
