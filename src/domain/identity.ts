// Identity model (a Keystone v3 subset): users, projects, roles and their implications, token scopes.
import { InvalidInputError } from './errors.js';

/** The one domain Palisade's built-in identity has; Keystone's `default` / `Default`. */
export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;

/** Roles, strongest first; each implies the ones after it (Keystone's default role implications). */
export const ROLES = ['admin', 'member', 'reader'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** `admin` → admin, member, reader: what a token carries for one assigned role. */
export function impliedRoles(roles: readonly Role[]): Role[] {
  const strongest = Math.min(...roles.map((r) => ROLES.indexOf(r)));
  return Number.isFinite(strongest) ? ROLES.slice(strongest) : [];
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

// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** A user or project name: 1–255 characters, no control characters. */
export function parseIdentityName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 255 || CONTROL_CHARACTER.test(value)) {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for field '${path}': expected a non-empty string of at most 255 characters.`, path);
  }
  return value;
}
