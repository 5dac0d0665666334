// RBAC policies: a security group or an address group shared with one project or with every project ('*') (neutron-api.md §4.5, §12).
import { InvalidInputError } from './errors.js';

export const RBAC_WILDCARD = '*';

/** Object types and the actions each allows (Neutron's rbac-security-groups and rbac-address-group). */
export const RBAC_ACTIONS = { security_group: ['access_as_shared'], address_group: ['access_as_shared'] } as const;

export type RbacObjectType = keyof typeof RBAC_ACTIONS;
export type RbacAction = (typeof RBAC_ACTIONS)[RbacObjectType][number];

export interface RbacPolicy {
  readonly id: string;
  /** The project that created the policy (not necessarily the object's owner when an admin shares). */
  readonly projectId: string;
  readonly objectType: RbacObjectType;
  readonly objectId: string;
  readonly action: RbacAction;
  /** A project id, or `*` for every project. */
  readonly targetProject: string;
}

/** Neutron normalises the type (trim, lower case) before checking it. */
export function parseRbacObjectType(value: unknown): RbacObjectType {
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof normalized === 'string' && normalized in RBAC_ACTIONS) return normalized as RbacObjectType;
  throw InvalidInputError.of('InvalidInput', `Invalid input for operation: '${String(value)}' is not a valid RBAC object type.`, 'object_type');
}

export function parseRbacAction(objectType: RbacObjectType, value: unknown): RbacAction {
  const valid: readonly string[] = RBAC_ACTIONS[objectType];
  if (typeof value === 'string' && valid.includes(value)) return value as RbacAction;
  throw InvalidInputError.of(
    'InvalidActionForType',
    `Invalid action '${String(value)}' for object type '${objectType}'. Valid actions: ${valid.join(', ')}`,
    'action',
  );
}

const PROJECT_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** `*` or a project id (Keystone's 32 hex digits, or a dashed UUID). */
export function parseRbacTarget(value: unknown): string {
  if (value === RBAC_WILDCARD || (typeof value === 'string' && PROJECT_ID.test(value))) return value;
  throw InvalidInputError.of('HTTPBadRequest', `Invalid input for target_tenant. Reason: '${String(value)}' is not a valid project id or '*'.`, 'target_tenant');
}

export function parseObjectId(value: unknown): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= 36) return value;
  throw InvalidInputError.of('HTTPBadRequest', `Invalid input for object_id. Reason: '${String(value)}' is not a valid UUID.`, 'object_id');
}

/** True when one of `policies` shares its object with `projectId` (directly or through `*`). */
export function isSharedWith(policies: readonly RbacPolicy[], projectId: string): boolean {
  return policies.some((p) => p.action === 'access_as_shared' && (p.targetProject === RBAC_WILDCARD || p.targetProject === projectId));
}
