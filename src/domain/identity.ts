// Identity model (a Keystone v3 subset): users, projects, roles and their implications, token scopes.
import { InvalidInputError } from './errors.js';
import { hasControlCharacter } from './text-attribute.js';

/** The one domain Palisade's built-in identity has; Keystone's `default` / `Default`. */
export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;

/**
 * Roles: admin implies member implies reader (Keystone's default role implications). `agent` stands apart and
 * implies nothing: it may read host feeds and nothing else (a host agent's least privilege).
 */
export const ROLES = ['admin', 'member', 'reader', 'agent'] as const;
export type Role = (typeof ROLES)[number];

const IMPLIES: Readonly<Record<Role, readonly Role[]>> = { admin: ['member', 'reader'], member: ['reader'], reader: [], agent: [] };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** `admin` → admin, member, reader: what a token carries for its assigned roles, in ROLES order. */
export function impliedRoles(roles: readonly Role[]): Role[] {
  const held = new Set(roles.flatMap((r) => [r, ...IMPLIES[r]]));
  return ROLES.filter((r) => held.has(r));
}

/** A token that carries `agent` and no project role: it may call the host-feed routes only. */
export function isAgentOnly(roles: readonly string[]): boolean {
  return roles.includes('agent') && !roles.some((r) => r === 'admin' || r === 'member' || r === 'reader');
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly enabled: boolean;
  readonly createdAt: string;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly description: string;
  readonly enabled: boolean;
}

export interface RoleAssignment {
  readonly userId: string;
  readonly projectId: string;
  readonly role: Role;
}

/** What a token is good for: one project, the domain, or nothing (unscoped). */
export type TokenScope =
  | { readonly kind: 'project'; readonly projectId: string }
  | { readonly kind: 'domain'; readonly domainId: string }
  | { readonly kind: 'unscoped' };

/** A stored token: only the SHA-256 of the secret is kept. */
export interface TokenRecord {
  readonly hash: string;
  readonly userId: string;
  readonly scope: TokenScope;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly auditId: string;
  readonly revoked: boolean;
  /** The user's token epoch at issue; the token dies when the user's epoch moves on. */
  readonly userEpoch: number;
}


/** A user or project name: 1–255 characters, no control characters. */
export function parseIdentityName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 255 || hasControlCharacter(value)) {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for field '${path}': expected a non-empty string of at most 255 characters.`, path);
  }
  return value;
}
