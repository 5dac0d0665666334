// Ether type (IP version) of a rule, parsed case-insensitively (neutron-api.md S5).
import { InvalidInputError } from './errors.js';
import { shown } from './text-attribute.js';

export type EtherType = 'IPv4' | 'IPv6';
export const ETHER_TYPES: readonly EtherType[] = ['IPv4', 'IPv6'];

export function parseEtherType(value: unknown): EtherType {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'ipv4') return 'IPv4';
    if (lower === 'ipv6') return 'IPv6';
  }
  throw InvalidInputError.of(
    'SecurityGroupRuleInvalidEtherType',
    `Security group rule for ethertype '${shown(value)}' not supported. Allowed values are ['IPv4', 'IPv6'].`,
    'ethertype',
  );
}

export function etherTypeOfVersion(version: 4 | 6): EtherType {
  return version === 4 ? 'IPv4' : 'IPv6';
}
