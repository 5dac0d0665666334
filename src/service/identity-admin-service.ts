// Identity administration (admin only): users, projects and role assignments.
import {
  DEFAULT_DOMAIN,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  isRole,
  parseIdentityName,
  type Project,
  type Role,
  type RoleAssignment,
  type User,
} from '../domain/index.js';
import type { IdentityStore, ProjectChanges, StoredUser, UserChanges } from '../store/index.js';
import { assignmentRecordId, type AuditedIdentityWrite, type IdentityCaller } from './identity-audit.js';
import type { TokenInfo } from './identity-service.js';
import { newIdentityId } from './identity-service.js';
import { hashPassword } from './password-hash.js';
import { userSubject } from './sign-in-guard.js';

export interface UserDraft {
  readonly name?: unknown;
  readonly password?: unknown;
  readonly enabled?: unknown;
  readonly domainId?: unknown;
}

export interface ProjectDraft {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly enabled?: unknown;
  readonly domainId?: unknown;
}

function assertAdmin(caller: TokenInfo): void {
  if (!caller.roles.includes('admin')) {
    throw new ForbiddenError('HTTPForbidden', 'You are not authorized to perform the requested action: identity administration needs the admin role.');
  }
}

function publicUser(u: StoredUser): User {
  return { id: u.id, name: u.name, domainId: u.domainId, enabled: u.enabled, createdAt: u.createdAt };
}

function parsePassword(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw InvalidInputError.of('HTTPBadRequest', "Invalid input for field 'password': expected a non-empty string.", 'password');
  }
  return value;
}

function parseEnabled(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw InvalidInputError.of('HTTPBadRequest', "Invalid input for field 'enabled': expected a boolean.", 'enabled');
  return value;
}

function parseDescription(value: unknown): string {
  if (typeof value !== 'string' || value.length > 255) throw InvalidInputError.of('HTTPBadRequest', "Invalid input for field 'description'.", 'description');
  return value;
}

function parseDomain(value: unknown): string {
  if (value === undefined || value === DEFAULT_DOMAIN.id) return DEFAULT_DOMAIN.id;
  throw InvalidInputError.of('HTTPBadRequest', `Only the '${DEFAULT_DOMAIN.id}' domain exists.`, 'domain_id');
}

/** What the audit records of a user: never the password hash or token epoch. */
function auditedUser(u: StoredUser, tokensRevoked = false) {
  return { ...publicUser(u), ...(tokensRevoked && { tokensRevoked }) };
}

/** `audited`: identity writes go through it, so each commits with its change-log record. */
export function createIdentityAdminService(store: IdentityStore, now: () => Date, audited: AuditedIdentityWrite) {
  async function user(id: string): Promise<StoredUser> {
    const found = await store.findUser({ id });
    if (!found) throw new NotFoundError('UserNotFound', `Could not find user: ${id}.`);
    return found;
  }
  async function project(id: string): Promise<Project> {
    const found = await store.findProject({ id });
    if (!found) throw new NotFoundError('ProjectNotFound', `Could not find project: ${id}.`);
    return found;
  }
  function role(name: string): Role {
    if (!isRole(name)) throw new NotFoundError('RoleNotFound', `Could not find role: ${name}.`);
    return name;
  }

  return {
    async listUsers(caller: TokenInfo, name?: string): Promise<User[]> {
      assertAdmin(caller);
      return (await store.listUsers()).filter((u) => name === undefined || u.name === name).map(publicUser);
    },
    async getUser(caller: TokenInfo, id: string): Promise<User> {
      if (caller.user.id !== id) assertAdmin(caller);
      return publicUser(await user(id));
    },
    async createUser(caller: IdentityCaller, draft: UserDraft): Promise<User> {
      assertAdmin(caller);
      const created: StoredUser = {
        id: newIdentityId(), name: parseIdentityName(draft.name, 'name'), domainId: parseDomain(draft.domainId),
        enabled: parseEnabled(draft.enabled, true), createdAt: now().toISOString(),
        passwordHash: await hashPassword(parsePassword(draft.password)), tokenEpoch: 0,
      };
      await audited(caller, async (identity, record) => {
        await identity.insertUser(created);
        await record('user', 'create', created.id, '', auditedUser(created));
      });
      return publicUser(created);
    },
    async updateUser(caller: IdentityCaller, id: string, draft: UserDraft): Promise<User> {
      assertAdmin(caller);
      const enabled = draft.enabled === undefined ? undefined : parseEnabled(draft.enabled, true);
      const changes: UserChanges = {
        ...(draft.name !== undefined && { name: parseIdentityName(draft.name, 'name') }),
        ...(enabled !== undefined && { enabled }),
        ...(draft.password !== undefined && { passwordHash: await hashPassword(parsePassword(draft.password)) }),
        // Keystone revokes a user's tokens when the password changes or the user is disabled.
        revokeTokens: draft.password !== undefined || enabled === false,
      };
      const updated = await audited(caller, async (identity, record) => {
        const after = await identity.updateUser(id, changes);
        if (!after) throw new NotFoundError('UserNotFound', `Could not find user: ${id}.`);
        await record('user', 'update', id, '', auditedUser(after, changes.revokeTokens));
        return after;
      });
      // An admin-set password also lifts a lockout.
      if (changes.passwordHash !== undefined) await store.clearSignInAttempts(userSubject(id));
      return publicUser(updated);
    },
    async deleteUser(caller: IdentityCaller, id: string): Promise<void> {
      assertAdmin(caller);
      await user(id);
      await audited(caller, async (identity, record) => {
        await identity.deleteUser(id);
        await record('user', 'delete', id, '', null);
      });
    },
    async listProjects(caller: TokenInfo, name?: string): Promise<Project[]> {
      assertAdmin(caller);
      return (await store.listProjects()).filter((p) => name === undefined || p.name === name);
    },
    async getProject(caller: TokenInfo, id: string): Promise<Project> {
      if (caller.project?.id !== id) assertAdmin(caller);
      return project(id);
    },
    async createProject(caller: IdentityCaller, draft: ProjectDraft): Promise<Project> {
      assertAdmin(caller);
      const created: Project = {
        id: newIdentityId(), name: parseIdentityName(draft.name, 'name'), domainId: parseDomain(draft.domainId),
        description: parseDescription(draft.description ?? ''), enabled: parseEnabled(draft.enabled, true),
      };
      await audited(caller, async (identity, record) => {
        await identity.insertProject(created);
        await record('project', 'create', created.id, created.id, created);
      });
      return created;
    },
    /** Name, description, enabled; disabling revokes the tokens scoped to the project (as Keystone does). */
    async updateProject(caller: IdentityCaller, id: string, draft: ProjectDraft): Promise<Project> {
      assertAdmin(caller);
      const changes: ProjectChanges = {
        ...(draft.name !== undefined && { name: parseIdentityName(draft.name, 'name') }),
        ...(draft.description !== undefined && { description: parseDescription(draft.description) }),
        ...(draft.enabled !== undefined && { enabled: parseEnabled(draft.enabled, true) }),
      };
      return audited(caller, async (identity, record) => {
        const updated = await identity.updateProject(id, changes);
        if (!updated) throw new NotFoundError('ProjectNotFound', `Could not find project: ${id}.`);
        await record('project', 'update', id, id, updated);
        return updated;
      });
    },
    async deleteProject(caller: IdentityCaller, id: string): Promise<void> {
      assertAdmin(caller);
      await project(id);
      await audited(caller, async (identity, record) => {
        await identity.deleteProject(id);
        await record('project', 'delete', id, id, null);
      });
    },
    async grant(caller: IdentityCaller, projectId: string, userId: string, roleName: string): Promise<void> {
      assertAdmin(caller);
      const r = role(roleName);
      await Promise.all([project(projectId), user(userId)]);
      await audited(caller, async (identity, record) => {
        await identity.grantRole({ userId, projectId, role: r });
        await record('role_assignment', 'create', assignmentRecordId(projectId, userId, r), projectId, { userId, projectId, role: r });
      });
    },
    async revoke(caller: IdentityCaller, projectId: string, userId: string, roleName: string): Promise<void> {
      assertAdmin(caller);
      const r = role(roleName);
      const held = await store.listAssignments({ userId, projectId });
      if (!held.some((a) => a.role === r)) throw new NotFoundError('RoleNotFound', `Could not find role assignment with role: ${r}, user: ${userId}, project: ${projectId}.`);
      await audited(caller, async (identity, record) => {
        await identity.revokeRole({ userId, projectId, role: r });
        await record('role_assignment', 'delete', assignmentRecordId(projectId, userId, r), projectId, null);
      });
    },
    async hasRole(caller: TokenInfo, projectId: string, userId: string, roleName: string): Promise<boolean> {
      assertAdmin(caller);
      const r = role(roleName);
      return (await store.listAssignments({ userId, projectId })).some((a) => a.role === r);
    },
    async assignments(caller: TokenInfo, filter: { userId?: string; projectId?: string }): Promise<RoleAssignment[]> {
      if (filter.userId !== caller.user.id) assertAdmin(caller);
      return store.listAssignments(filter);
    },
    /** The projects `caller` holds a role on (`GET /v3/auth/projects`). */
    async projectsOf(caller: TokenInfo): Promise<Project[]> {
      const ids = new Set((await store.listAssignments({ userId: caller.user.id })).map((a) => a.projectId));
      return (await store.listProjects()).filter((p) => ids.has(p.id));
    },
  };
}

export type IdentityAdminService = ReturnType<typeof createIdentityAdminService>;
