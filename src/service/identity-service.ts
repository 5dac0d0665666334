// Built-in identity: password and token authentication, scoped tokens, validation, revocation, lockout.
import type { AuditedIdentityWrite, IdentityCaller } from './identity-audit.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  DEFAULT_DOMAIN,
  NotFoundError,
  UnauthenticatedError,
  impliedRoles,
  type Project,
  type Role,
  type TokenRecord,
  type TokenScope,
  type User,
} from '../domain/index.js';
import type { IdentityStore, StoredUser } from '../store/index.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { AUTH_FAILED, createSignInGuard, type DomainRef, type SignInOutcome, type UserRef } from './sign-in-guard.js';

export type { DomainRef, UserRef } from './sign-in-guard.js';
export type ProjectRef = { readonly id: string } | { readonly name: string; readonly domain: DomainRef };

export type AuthMethod =
  | { readonly method: 'password'; readonly user: UserRef; readonly password: string }
  | { readonly method: 'token'; readonly token: string };

export type ScopeRequest =
  | { readonly kind: 'project'; readonly project: ProjectRef }
  | { readonly kind: 'domain'; readonly domain: DomainRef }
  | { readonly kind: 'unscoped' };

/** What a valid token says: who, for what, with which roles, until when. */
export interface TokenInfo {
  readonly user: User;
  readonly scope: TokenScope;
  readonly project: Project | undefined;
  readonly roles: readonly Role[];
  readonly methods: readonly string[];
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly auditId: string;
}

export interface IdentityOptions {
  readonly store: IdentityStore;
  readonly now: () => Date;
  readonly tokenTtlSeconds: number;
  /** Consecutive failures before a user is locked; each further failure doubles the lock. */
  readonly lockoutThreshold?: number;
  readonly lockoutBaseSeconds?: number;
  readonly lockoutMaxSeconds?: number;
  /** The password check; tests wrap it to count or hold the comparisons. */
  readonly verifyPassword?: (password: string, stored: string) => Promise<boolean>;
  readonly onSignIn?: (outcome: SignInOutcome) => void;
  /** Revocations go through it, so each commits with its audit record; absent (tests), they are not audited. */
  readonly audited?: AuditedIdentityWrite;
}

function unauthenticated(message = AUTH_FAILED): UnauthenticatedError {
  return new UnauthenticatedError('HTTPUnauthorized', message);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Keystone ids: 32 lower-case hex digits. */
export function newIdentityId(): string {
  return randomBytes(16).toString('hex');
}

export function isDefaultDomain(ref: DomainRef): boolean {
  return 'id' in ref ? ref.id === DEFAULT_DOMAIN.id : ref.name === DEFAULT_DOMAIN.name;
}

export function createIdentityService(options: IdentityOptions) {
  const { store, now } = options;
  const guard = createSignInGuard({
    store, now, verify: options.verifyPassword ?? verifyPassword,
    threshold: options.lockoutThreshold ?? 5, baseSeconds: options.lockoutBaseSeconds ?? 1, maxSeconds: options.lockoutMaxSeconds ?? 300,
    ...(options.onSignIn && { onOutcome: options.onSignIn }),
  });

  async function findUser(ref: UserRef): Promise<StoredUser | undefined> {
    if ('id' in ref) return store.findUser({ id: ref.id });
    return isDefaultDomain(ref.domain) ? store.findUser({ name: ref.name, domainId: DEFAULT_DOMAIN.id }) : undefined;
  }

  async function checkPassword(ref: UserRef, password: string): Promise<StoredUser> {
    return guard.check(await findUser(ref), ref, password);
  }

  async function rolesOn(userId: string, scope: TokenScope): Promise<Role[]> {
    if (scope.kind === 'unscoped') return [];
    const assignments = await store.listAssignments(scope.kind === 'project' ? { userId, projectId: scope.projectId } : { userId });
    // Domain scope: only admins get roles there (Palisade keeps no separate domain assignments).
    const roles = assignments.map((a) => a.role);
    return impliedRoles(scope.kind === 'domain' ? roles.filter((r) => r === 'admin') : roles);
  }

  async function resolveScope(userId: string, request: ScopeRequest): Promise<{ scope: TokenScope; project: Project | undefined }> {
    if (request.kind === 'unscoped') return { scope: { kind: 'unscoped' }, project: undefined };
    if (request.kind === 'domain') {
      if (!isDefaultDomain(request.domain)) throw unauthenticated('Could not find domain.');
      return { scope: { kind: 'domain', domainId: DEFAULT_DOMAIN.id }, project: undefined };
    }
    const ref = request.project;
    const project = 'id' in ref
      ? await store.findProject({ id: ref.id })
      : isDefaultDomain(ref.domain) ? await store.findProject({ name: ref.name, domainId: DEFAULT_DOMAIN.id }) : undefined;
    if (!project || !project.enabled) throw unauthenticated('Could not find project.');
    const scope: TokenScope = { kind: 'project', projectId: project.id };
    if ((await rolesOn(userId, scope)).length === 0) throw unauthenticated(`User ${userId} has no access to project ${project.id}`);
    return { scope, project };
  }

  /** The record behind a token, or undefined when unknown, expired or revoked. */
  async function liveRecord(token: string): Promise<TokenRecord | undefined> {
    const hash = hashToken(token);
    const record = await store.findToken(hash);
    if (!record || record.revoked || record.expiresAt <= now().toISOString()) return undefined;
    return timingSafeEqual(Buffer.from(record.hash), Buffer.from(hash)) ? record : undefined;
  }

  async function describe(record: TokenRecord, methods: readonly string[]): Promise<TokenInfo | undefined> {
    const user = await store.findUser({ id: record.userId });
    // An older epoch: the user's password changed, or the user was disabled, since the token was issued.
    if (!user || !user.enabled || user.tokenEpoch !== record.userEpoch) return undefined;
    const project = record.scope.kind === 'project' ? await store.findProject({ id: record.scope.projectId }) : undefined;
    if (record.scope.kind === 'project' && (!project || !project.enabled)) return undefined;
    const roles = await rolesOn(user.id, record.scope);
    if (record.scope.kind === 'project' && roles.length === 0) return undefined;
    const { passwordHash: _h, tokenEpoch: _e, ...publicUser } = user;
    return { user: publicUser, scope: record.scope, project, roles, methods, issuedAt: record.issuedAt, expiresAt: record.expiresAt, auditId: record.auditId };
  }

  return {
    /** Issues a new token; token auth keeps the presented token's expiry (Keystone's rule). */
    async issue(methods: readonly AuthMethod[], scopeRequest: ScopeRequest): Promise<{ token: string; info: TokenInfo }> {
      const first = methods[0];
      if (!first || methods.length > 1) throw unauthenticated('Exactly one of the password or token methods is supported.');
      let userId: string;
      let userEpoch: number;
      let expiresAt = new Date(now().getTime() + options.tokenTtlSeconds * 1000).toISOString();
      if (first.method === 'password') {
        // The epoch read with the password hash: a revocation during the check leaves this token dead.
        ({ id: userId, tokenEpoch: userEpoch } = await checkPassword(first.user, first.password));
      } else {
        const record = await liveRecord(first.token);
        if (!record) throw unauthenticated('The token is unknown, expired or revoked.');
        ({ userId, userEpoch, expiresAt } = record);
      }
      const { scope } = await resolveScope(userId, scopeRequest);
      // Hex, not base64url: a secret starting with '-' is read as an option by command-line clients.
      const token = randomBytes(32).toString('hex');
      const record: TokenRecord = { hash: hashToken(token), userId, scope, issuedAt: now().toISOString(), expiresAt, auditId: randomBytes(16).toString('base64url'), revoked: false, userEpoch };
      await store.insertToken(record);
      // Checked after the insert: a revocation that raced this sign-in either sees the new token and
      // revokes it, or lands before this check, which then refuses and revokes the token itself.
      const info = await describe(record, [first.method]);
      if (!info) {
        await store.revokeToken(record.hash);
        throw unauthenticated();
      }
      return { token, info };
    },

    /** What `token` grants; UnauthenticatedError when it is unknown, expired, revoked or its user disabled. */
    async validate(token: string): Promise<TokenInfo> {
      const record = await liveRecord(token);
      const info = record && (await describe(record, ['token']));
      if (!info) throw unauthenticated('The token is unknown, expired or revoked.');
      return info;
    },

    /** Like validate, for `X-Subject-Token`: an invalid subject is a 404, as in Keystone. */
    async inspect(token: string): Promise<TokenInfo> {
      const record = await liveRecord(token);
      const info = record && (await describe(record, ['token']));
      if (!info) throw new NotFoundError('TokenNotFound', 'Could not find token.');
      return info;
    },

    /** Revokes `token`; `by` is who asked (the audit's author). */
    async revoke(token: string, by: IdentityCaller | null = null): Promise<void> {
      const record = await liveRecord(token);
      if (!record) throw new NotFoundError('TokenNotFound', 'Could not find token.');
      if (!options.audited) return store.revokeToken(record.hash);
      const project = record.scope.kind === 'project' ? record.scope.projectId : '';
      await options.audited(by, async (identity, note) => {
        await identity.revokeToken(record.hash);
        // The audit id, never the token or its hash: the record names the token without granting anything.
        await note('token', 'delete', record.auditId, project, { auditId: record.auditId, userId: record.userId, revoked: true });
      });
    },

    /** On an empty user table: user `admin` with role admin on project `admin`. Null when users exist. */
    async bootstrap(password: string | undefined): Promise<{ password: string; generated: boolean } | null> {
      if ((await store.countUsers()) > 0) return null;
      const chosen = password ?? randomBytes(16).toString('hex');
      const project: Project = { id: newIdentityId(), name: 'admin', domainId: DEFAULT_DOMAIN.id, description: 'Bootstrap project', enabled: true };
      const user: StoredUser = {
        id: newIdentityId(), name: 'admin', domainId: DEFAULT_DOMAIN.id, enabled: true, createdAt: now().toISOString(),
        passwordHash: await hashPassword(chosen), tokenEpoch: 0,
      };
      await store.insertProject(project);
      await store.insertUser(user);
      await store.grantRole({ userId: user.id, projectId: project.id, role: 'admin' });
      return { password: chosen, generated: password === undefined };
    },

    /** Drops expired tokens and long-idle sign-in attempt counts. */
    async pruneExpired(): Promise<void> {
      await store.pruneTokens(now().toISOString());
      await guard.pruneAttempts();
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
