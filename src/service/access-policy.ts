// Who may read and change what (neutron-api.md §9): invisible objects are 404, visible but not writable 403.
import { ForbiddenError, InvalidInputError, NotFoundError, parseProjectId, shown, type ErrorCode } from '../domain/index.js';
import type { Reader } from '../store/index.js';
import type { RequestContext } from './request-context.js';

export function canRead(ctx: Pick<RequestContext, 'isAdmin' | 'projectId'>, ownerProjectId: string): boolean {
  return ctx.isAdmin || ctx.projectId === ownerProjectId;
}

/** The caller as list queries see it: its project, and whether it reads every project. */
export function readerOf(ctx: RequestContext): Reader {
  return { projectId: ctx.projectId, admin: ctx.isAdmin };
}

/** The object, or a NotFoundError when it does not exist or the caller may not see it. */
export function visibleOrNotFound<T extends { projectId: string }>(
  ctx: RequestContext,
  object: T | undefined,
  code: ErrorCode,
  message: string,
): T {
  if (!object || !canRead(ctx, object.projectId)) throw new NotFoundError(code, message);
  return object;
}

/** A caller holding `reader` but neither `member` nor `admin` may look but not change (Keystone's reader role). */
export function isReadOnly(ctx: RequestContext): boolean {
  return !ctx.isAdmin && ctx.roles.includes('reader') && !ctx.roles.includes('member');
}

function readOnlyRefusal(): ForbiddenError {
  return new ForbiddenError('PolicyNotAuthorized', 'Rule violation: the reader role may not change objects.');
}

export function assertWritable(ctx: RequestContext, ownerProjectId: string): void {
  if (isReadOnly(ctx) && ctx.projectId === ownerProjectId) throw readOnlyRefusal();
  if (!ctx.isAdmin && ctx.projectId !== ownerProjectId) {
    throw new ForbiddenError('PolicyNotAuthorized', 'Rule violation: the caller is not allowed to change this object.');
  }
}

/** The project a create acts for: the caller's, or any project when the caller is admin (B11, B12). */
export function targetProject(ctx: RequestContext, projectId: unknown, tenantId: unknown): string {
  if (isReadOnly(ctx)) throw readOnlyRefusal();
  if (projectId !== undefined && tenantId !== undefined && projectId !== tenantId) {
    throw InvalidInputError.of('HTTPBadRequest', "'project_id' and 'tenant_id' do not match", 'project_id');
  }
  const wanted = projectId ?? tenantId;
  if (wanted === undefined || wanted === null) return ctx.projectId;
  if (typeof wanted !== 'string' || wanted.length === 0 || wanted.length > 255) {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for project_id. Reason: '${shown(wanted)}' is not a valid string.`, 'project_id');
  }
  parseProjectId(wanted, projectId === undefined ? 'tenant_id' : 'project_id');
  if (wanted !== ctx.projectId && !ctx.isAdmin) {
    throw InvalidInputError.of(
      'HTTPBadRequest',
      "Specifying 'project_id' other than the authenticated project in request is not allowed for the current user.",
      'project_id',
    );
  }
  return wanted;
}
