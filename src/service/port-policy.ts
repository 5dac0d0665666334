// Neutron's attribute policies on ports: who may set what (binding:host_id and binding:profile are admin-only, as in Neutron).
import { ForbiddenError } from '../domain/index.js';
import type { PortDraft } from './port-service.js';
import type { RequestContext } from './request-context.js';

/**
 * Port attributes Neutron checks a policy for (`enforce_policy`), in the order its attribute map lists them;
 * the order only shapes the refusal message. Members may set all but the admin-only ones (Neutron's
 * defaults: `create_port:binding:host_id` and `update_port:binding:host_id` are `rule:admin_only`).
 */
const ENFORCED: readonly (readonly [keyof PortDraft, string])[] = [
  ['macAddress', 'mac_address'],
  ['fixedIps', 'fixed_ips'],
  ['deviceOwner', 'device_owner'],
  ['allowedAddressPairs', 'allowed_address_pairs'],
  ['hostId', 'binding:host_id'],
  ['bindingProfile', 'binding:profile'],
  ['portSecurityEnabled', 'port_security_enabled'],
];
const ADMIN_ONLY: ReadonlySet<string> = new Set(['binding:host_id', 'binding:profile']);

/** `rule:create_port:fixed_ips`, joined with the rules of the keys of each dict in a list value, as Neutron builds them. */
function attributeRule(action: string, attribute: string, value: unknown): string {
  const rule = `rule:${action}:${attribute}`;
  if (!Array.isArray(value)) return rule;
  const keys = value.flatMap((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.keys(item) : []));
  return keys.length === 0 ? rule : `(${rule} and (${keys.map((k) => `rule:${action}:${attribute}:${k}`).join(' and ')}))`;
}

/**
 * Refuses a member setting an admin-only attribute with Neutron's 403 and wording: the rule it evaluated,
 * e.g. `(rule:create_port and rule:create_port:binding:host_id) is disallowed by policy`.
 */
export function assertPortAttributesAllowed(ctx: RequestContext, action: 'create_port' | 'update_port', draft: PortDraft): void {
  if (ctx.isAdmin) return;
  // On create Neutron skips an attribute left at its default; device_owner's default is ''.
  const set = ENFORCED.filter(([field, attribute]) => draft[field] !== undefined && !(action === 'create_port' && attribute === 'device_owner' && draft[field] === ''));
  if (!set.some(([, attribute]) => ADMIN_ONLY.has(attribute))) return;
  const rule = set.reduce((acc, [field, attribute]) => `(${acc} and ${attributeRule(action, attribute, draft[field])})`, `rule:${action}`);
  throw new ForbiddenError('PolicyNotAuthorized', `${rule} is disallowed by policy`);
}
