// Persistence of the built-in identity: users (with password hash and lockout state), projects, roles, tokens.
import type { Kysely } from 'kysely';
import { ConflictError, isRole, type Project, type RoleAssignment, type TokenRecord, type TokenScope, type User } from '../domain/index.js';
import type { Database, IdentityTokenTable, IdentityUserTable } from './database-schema.js';
import { isUniqueViolation } from './driver-errors.js';

/** A user as the store keeps it: the public fields plus the credential and brute-force state. */
export interface StoredUser extends User {
  readonly passwordHash: string;
  readonly failedAttempts: number;
  readonly lockedUntil: string | null;
}

export interface IdentityStore {
  countUsers(): Promise<number>;
  /** Throws ConflictError('IdentityConflict') when the name is taken in the domain. */
  insertUser(user: StoredUser): Promise<void>;
  updateUser(user: StoredUser): Promise<void>;
  deleteUser(id: string): Promise<void>;
  findUser(by: { readonly id: string } | { readonly name: string; readonly domainId: string }): Promise<StoredUser | undefined>;
  listUsers(): Promise<StoredUser[]>;
  insertProject(project: Project): Promise<void>;
  deleteProject(id: string): Promise<void>;
  findProject(by: { readonly id: string } | { readonly name: string; readonly domainId: string }): Promise<Project | undefined>;
  listProjects(): Promise<Project[]>;
  grantRole(assignment: RoleAssignment): Promise<void>;
  revokeRole(assignment: RoleAssignment): Promise<void>;
  listAssignments(filter: { readonly userId?: string; readonly projectId?: string }): Promise<RoleAssignment[]>;
  insertToken(token: TokenRecord): Promise<void>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  revokeToken(hash: string): Promise<void>;
  /** Drops tokens that expired before `before`. */
  pruneTokens(before: string): Promise<void>;
}

function rowToUser(r: IdentityUserTable): StoredUser {
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    passwordHash: r.password_hash,
    failedAttempts: r.failed_attempts,
    lockedUntil: r.locked_until,
  };
}

function userToRow(u: StoredUser): IdentityUserTable {
  return {
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    password_hash: u.passwordHash,
    enabled: u.enabled ? 1 : 0,
    failed_attempts: u.failedAttempts,
    locked_until: u.lockedUntil,
    created_at: u.createdAt,
  };
}

function rowToToken(r: IdentityTokenTable): TokenRecord {
  const scope: TokenScope =
    r.scope_kind === 'project' && r.scope_id !== null
      ? { kind: 'project', projectId: r.scope_id }
      : r.scope_kind === 'domain' && r.scope_id !== null
        ? { kind: 'domain', domainId: r.scope_id }
        : { kind: 'unscoped' };
  return { hash: r.token_hash, userId: r.user_id, scope, issuedAt: r.issued_at, expiresAt: r.expires_at, auditId: r.audit_id, revoked: r.revoked === 1 };
}

function scopeId(scope: TokenScope): string | null {
  return scope.kind === 'project' ? scope.projectId : scope.kind === 'domain' ? scope.domainId : null;
}

async function uniqueOrConflict(work: Promise<unknown>, what: string): Promise<void> {
  try {
    await work;
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('IdentityConflict', `Conflict occurred attempting to store ${what} - Duplicate entry.`);
    throw e;
  }
}

export function createIdentityStore(db: Kysely<Database>): IdentityStore {
  return {
    async countUsers() {
      const row = await db.selectFrom('identity_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    insertUser: (user) => uniqueOrConflict(db.insertInto('identity_users').values(userToRow(user)).execute(), 'user'),
    async updateUser(user) {
      const { id, ...row } = userToRow(user);
      await uniqueOrConflict(db.updateTable('identity_users').set(row).where('id', '=', id).execute(), 'user');
    },
    async deleteUser(id) {
      await db.deleteFrom('identity_tokens').where('user_id', '=', id).execute();
      await db.deleteFrom('identity_role_assignments').where('user_id', '=', id).execute();
      await db.deleteFrom('identity_users').where('id', '=', id).execute();
    },
    async findUser(by) {
      let q = db.selectFrom('identity_users').selectAll();
      q = 'id' in by ? q.where('id', '=', by.id) : q.where('name', '=', by.name).where('domain_id', '=', by.domainId);
      const row = await q.executeTakeFirst();
      return row && rowToUser(row);
    },
    async listUsers() {
      return (await db.selectFrom('identity_users').selectAll().orderBy('name').execute()).map(rowToUser);
    },
    insertProject: (p) =>
      uniqueOrConflict(
        db.insertInto('identity_projects').values({ id: p.id, name: p.name, domain_id: p.domainId, description: p.description, enabled: p.enabled ? 1 : 0 }).execute(),
        'project',
      ),
    async deleteProject(id) {
      await db.deleteFrom('identity_tokens').where('scope_kind', '=', 'project').where('scope_id', '=', id).execute();
      await db.deleteFrom('identity_role_assignments').where('project_id', '=', id).execute();
      await db.deleteFrom('identity_projects').where('id', '=', id).execute();
    },
    async findProject(by) {
      let q = db.selectFrom('identity_projects').selectAll();
      q = 'id' in by ? q.where('id', '=', by.id) : q.where('name', '=', by.name).where('domain_id', '=', by.domainId);
      const r = await q.executeTakeFirst();
      return r && { id: r.id, name: r.name, domainId: r.domain_id, description: r.description, enabled: r.enabled === 1 };
    },
    async listProjects() {
      const rows = await db.selectFrom('identity_projects').selectAll().orderBy('name').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, domainId: r.domain_id, description: r.description, enabled: r.enabled === 1 }));
    },
    async grantRole(a) {
      const exists = await db.selectFrom('identity_role_assignments').select('role')
        .where('user_id', '=', a.userId).where('project_id', '=', a.projectId).where('role', '=', a.role).executeTakeFirst();
      if (!exists) await db.insertInto('identity_role_assignments').values({ user_id: a.userId, project_id: a.projectId, role: a.role }).execute();
    },
    async revokeRole(a) {
      await db.deleteFrom('identity_role_assignments').where('user_id', '=', a.userId).where('project_id', '=', a.projectId).where('role', '=', a.role).execute();
    },
    async listAssignments(filter) {
      let q = db.selectFrom('identity_role_assignments').selectAll();
      if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
      if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
      const rows = await q.orderBy('user_id').orderBy('project_id').orderBy('role').execute();
      return rows.flatMap((r) => (isRole(r.role) ? [{ userId: r.user_id, projectId: r.project_id, role: r.role }] : []));
    },
    async insertToken(t) {
      await db.insertInto('identity_tokens').values({
        token_hash: t.hash, user_id: t.userId, scope_kind: t.scope.kind, scope_id: scopeId(t.scope),
        issued_at: t.issuedAt, expires_at: t.expiresAt, audit_id: t.auditId, revoked: t.revoked ? 1 : 0,
      }).execute();
    },
    async findToken(hash) {
      const row = await db.selectFrom('identity_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return row && rowToToken(row);
    },
    async revokeToken(hash) {
      await db.updateTable('identity_tokens').set({ revoked: 1 }).where('token_hash', '=', hash).execute();
    },
    async pruneTokens(before) {
      await db.deleteFrom('identity_tokens').where('expires_at', '<', before).execute();
    },
  };
}
