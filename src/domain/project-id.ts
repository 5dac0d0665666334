// Project ids Palisade accepts: Keystone's hex ids, UUIDs and the plain names noauth deployments use.
import { InvalidInputError } from './errors.js';
import { shown } from './text-attribute.js';

/**
 * Letters, digits, `_` and `-`, 1 to 64 of them. Neutron only asks for a string of at most 255 characters;
 * this is stricter on purpose: a project id ends up in filters, logs, agent state and URLs, so `*` (the RBAC
 * wildcard), NUL, `/`, `.` and spaces are refused. Keystone's ids (32 hex digits) and UUIDs pass.
 */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isProjectId(value: unknown): value is string {
  return typeof value === 'string' && PROJECT_ID_PATTERN.test(value);
}

/** A project id from a body or a path; `attribute` names it in the message. */
export function parseProjectId(value: unknown, attribute = 'project_id'): string {
  if (isProjectId(value)) return value;
  throw InvalidInputError.of(
    'HTTPBadRequest',
    `Invalid input for ${attribute}. Reason: '${shown(value)}' is not a valid project id (1 to 64 letters, digits, '_' or '-').`,
    attribute,
  );
}
