// Security groups: the model, name rules (R1–R3) and the rules every new group starts with (§8.2, §8.3).
import { ConflictError } from './errors.js';
import type { RuleSpec } from './security-group-rule.js';
import { parseString } from './text-attribute.js';

export interface SecurityGroup {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  readonly stateful: boolean;
  /** The project's `default` group; only this flag makes a group the default. */
  readonly isDefault: boolean;
  readonly tags: readonly string[];
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const DEFAULT_GROUP_NAME = 'default';
export const DEFAULT_GROUP_DESCRIPTION = 'Default security group';

/** A name for a custom group: a string ≤255 that is not `default` in any case (R1, R3). */
export function parseGroupName(value: unknown): string {
  const name = parseString(value, 'name');
  if (name.toLowerCase() === DEFAULT_GROUP_NAME) {
    throw new ConflictError('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  }
  return name;
}

function anyRule(direction: RuleSpec['direction'], etherType: RuleSpec['etherType'], remoteGroupId: string | null): RuleSpec {
  return {
    direction,
    etherType,
    protocol: null,
    portRangeMin: null,
    portRangeMax: null,
    remoteIpPrefix: null,
    remoteGroupId,
    remoteAddressGroupId: null,
    description: '',
  };
}

/** Allow-all egress for IPv4 and IPv6: the rules every new custom group starts with. */
export function customGroupStartingRules(): RuleSpec[] {
  return [anyRule('egress', 'IPv4', null), anyRule('egress', 'IPv6', null)];
}

/** Egress any plus ingress from the group's own members, for IPv4 and IPv6. */
export function defaultGroupStartingRules(groupId: string): RuleSpec[] {
  return [
    anyRule('egress', 'IPv4', null),
    anyRule('egress', 'IPv6', null),
    anyRule('ingress', 'IPv4', groupId),
    anyRule('ingress', 'IPv6', groupId),
  ];
}

export const MAX_TAGS = 50;
