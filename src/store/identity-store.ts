// Persistence of the built-in identity: users (with password hash and token epoch), projects, roles, tokens.
import { sql, type Kysely } from 'kysely';
import { ConflictError, isRole, type Project, type RoleAssignment, type TokenRecord, type TokenScope, type User } from '../domain/index.js';
import type { Database, IdentityProjectTable, IdentityTokenTable, IdentityUserTable } from './database-schema.js';
import { isUniqueViolation } from './driver-errors.js';
import { createSignInAttemptStore, type SignInAttemptStore } from './sign-in-attempts.js';

/** A user as the store keeps it: the public fields plus the credential and the token epoch. */
export interface StoredUser extends User {
  readonly passwordHash: string;
  /** Tokens issued under an older epoch are revoked. */
  readonly tokenEpoch: number;
}

/** What an admin may change on a user; each is set on its own, never by writing the whole row back. */
export interface UserChanges {
  readonly name?: string;
  readonly enabled?: boolean;
  readonly passwordHash?: string;
  /** Moves the user's token epoch on: every token issued so far is revoked. */
  readonly revokeTokens?: boolean;
}

/** What an admin may change on a project. */
export interface ProjectChanges {
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
}

export interface IdentityStore extends SignInAttemptStore {
  countUsers(): Promise<number>;
  /** Throws ConflictError('IdentityConflict') when the name is taken in the domain. */
  insertUser(user: StoredUser): Promise<void>;
  /** The user after the change, or undefined when there is no such user. */
  updateUser(id: string, changes: UserChanges): Promise<StoredUser | undefined>;
  deleteUser(id: string): Promise<void>;
  findUser(by: { readonly id: string } | { readonly name: string; readonly domainId: string }): Promise<StoredUser | undefined>;
  listUsers(): Promise<StoredUser[]>;
  insertProject(project: Project): Promise<void>;
  /** The project after the change (undefined when unknown); disabling revokes the tokens scoped to it, atomically. */
  updateProject(id: string, changes: ProjectChanges): Promise<Project | undefined>;
  deleteProject(id: string): Promise<void>;
  findProject(by: { readonly id: string } | { readonly name: string; readonly domainId: string }): Promise<Project | undefined>;
  listProjects(): Promise<Project[]>;
  grantRole(assignment: RoleAssignment): Promise<void>;
  /** Removes the assignment and revokes the user's tokens scoped to its project, in one transaction. */
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
    tokenEpoch: r.token_epoch,
  };
}

function userToRow(u: StoredUser): IdentityUserTable {
  return {
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    password_hash: u.passwordHash,
    enabled: u.enabled ? 1 : 0,
    created_at: u.createdAt,
    token_epoch: u.tokenEpoch,
  };
}

function rowToProject(r: IdentityProjectTable): Project {
  return { id: r.id, name: r.name, domainId: r.domain_id, description: r.description, enabled: r.enabled === 1 };
}

function rowToToken(r: IdentityTokenTable): TokenRecord {
  const scope: TokenScope =
    r.scope_kind === 'project' && r.scope_id !== null
      ? { kind: 'project', projectId: r.scope_id }
      : r.scope_kind === 'domain' && r.scope_id !== null
        ? { kind: 'domain', domainId: r.scope_id }
        : { kind: 'unscoped' };
  return { hash: r.token_hash, userId: r.user_id, scope, issuedAt: r.issued_at, expiresAt: r.expires_at, auditId: r.audit_id, revoked: r.revoked === 1, userEpoch: r.user_epoch };
}

function scopeId(scope: TokenScope): string | null {
  return scope.kind === 'project' ? scope.projectId : scope.kind === 'domain' ? scope.domainId : null;
}

async function uniqueOrConflict<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('IdentityConflict', `Conflict occurred attempting to store ${what} - Duplicate entry.`);
    throw e;
  }
}

async function findUser(db: Kysely<Database>, by: { readonly id: string } | { readonly name: string; readonly domainId: string }): Promise<StoredUser | undefined> {
  let q = db.selectFrom('identity_users').selectAll();
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('name', '=', by.name).where('domain_id', '=', by.domainId);
  const row = await q.executeTakeFirst();
  return row && rowToUser(row);
}

/** Runs `work` in a transaction, or in the caller's when the store already runs in one. */
function atomically(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function userChangesToRow(changes: UserChanges) {
  return {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.enabled !== undefined && { enabled: changes.enabled ? 1 : 0 }),
    ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
    ...(changes.revokeTokens === true && { token_epoch: sql<number>`token_epoch + 1` }),
  };
}

export function createIdentityStore(db: Kysely<Database>): IdentityStore {
  return {
    ...createSignInAttemptStore(db),
    async countUsers() {
      const row = await db.selectFrom('identity_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insertUser(user) {
      await uniqueOrConflict(db.insertInto('identity_users').values(userToRow(user)).execute(), 'user');
    },
    async updateUser(id, changes) {
      const row = userChangesToRow(changes);
      if (Object.keys(row).length === 0) return findUser(db, { id });
      const updated = await uniqueOrConflict(db.updateTable('identity_users').set(row).where('id', '=', id).returningAll().executeTakeFirst(), 'user');
      return updated && rowToUser(updated);
    },
    deleteUser: (id) =>
      atomically(db, async (trx) => {
        await trx.deleteFrom('identity_tokens').where('user_id', '=', id).execute();
        await trx.deleteFrom('identity_role_assignments').where('user_id', '=', id).execute();
        await trx.deleteFrom('identity_users').where('id', '=', id).execute();
      }),
    findUser: (by) => findUser(db, by),
    async listUsers() {
      return (await db.selectFrom('identity_users').selectAll().orderBy('name').execute()).map(rowToUser);
    },
    async insertProject(p) {
      const row = { id: p.id, name: p.name, domain_id: p.domainId, description: p.description, enabled: p.enabled ? 1 : 0 };
      await uniqueOrConflict(db.insertInto('identity_projects').values(row).execute(), 'project');
    },
    async updateProject(id, changes) {
      const row = {
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.enabled !== undefined && { enabled: changes.enabled ? 1 : 0 }),
      };
      let updated: IdentityProjectTable | undefined;
      await uniqueOrConflict(atomically(db, async (trx) => {
        updated = Object.keys(row).length === 0
          ? await trx.selectFrom('identity_projects').selectAll().where('id', '=', id).executeTakeFirst()
          : await trx.updateTable('identity_projects').set(row).where('id', '=', id).returningAll().executeTakeFirst();
        if (updated && changes.enabled === false) {
          await trx.updateTable('identity_tokens').set({ revoked: 1 }).where('scope_kind', '=', 'project').where('scope_id', '=', id).execute();
        }
      }), 'project');
      return updated && rowToProject(updated);
    },
    deleteProject: (id) =>
      atomically(db, async (trx) => {
        await trx.deleteFrom('identity_tokens').where('scope_kind', '=', 'project').where('scope_id', '=', id).execute();
        await trx.deleteFrom('identity_role_assignments').where('project_id', '=', id).execute();
        await trx.deleteFrom('identity_projects').where('id', '=', id).execute();
      }),
    async findProject(by) {
      let q = db.selectFrom('identity_projects').selectAll();
      q = 'id' in by ? q.where('id', '=', by.id) : q.where('name', '=', by.name).where('domain_id', '=', by.domainId);
      const r = await q.executeTakeFirst();
      return r && rowToProject(r);
    },
    async listProjects() {
      const rows = await db.selectFrom('identity_projects').selectAll().orderBy('name').execute();
      return rows.map(rowToProject);
    },
    async grantRole(a) {
      const exists = await db.selectFrom('identity_role_assignments').select('role')
        .where('user_id', '=', a.userId).where('project_id', '=', a.projectId).where('role', '=', a.role).executeTakeFirst();
      if (!exists) await db.insertInto('identity_role_assignments').values({ user_id: a.userId, project_id: a.projectId, role: a.role }).execute();
    },
    revokeRole: (a) =>
      atomically(db, async (trx) => {
        await trx.deleteFrom('identity_role_assignments').where('user_id', '=', a.userId).where('project_id', '=', a.projectId).where('role', '=', a.role).execute();
        // Keystone revokes the tokens of that user on that project (a revocation event by user and project).
        await trx.updateTable('identity_tokens').set({ revoked: 1 })
          .where('user_id', '=', a.userId).where('scope_kind', '=', 'project').where('scope_id', '=', a.projectId).execute();
      }),
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
        issued_at: t.issuedAt, expires_at: t.expiresAt, audit_id: t.auditId, revoked: t.revoked ? 1 : 0, user_epoch: t.userEpoch,
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
