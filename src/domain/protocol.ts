// Rule protocols: the parser that normalises them as Neutron does (neutron-api.md §7.1); the table lives in the contract.
import { isProtocolName, PROTOCOL_NAMES } from '../contract/index.js';
import type { EtherType } from './ether-type.js';
import { InvalidInputError } from './errors.js';
import { shown } from './text-attribute.js';

function invalidProtocol(value: unknown): InvalidInputError {
  return InvalidInputError.of(
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${shown(value)} not supported. Only protocol values [${PROTOCOL_NAMES.map((n) => `'${n}'`).join(', ')}, 'any'] and integer representations [0 to 255] are supported.`,
    'protocol',
  );
}

/**
 * Normalise a rule's protocol as Neutron does: names lower-cased, numbers kept as decimal strings,
 * `any` (any case) and null mean every protocol (null), `"0"` is kept. IPv6 turns ICMP into ICMPv6.
 */
export function parseProtocol(value: unknown, etherType: EtherType): string | null {
  if (value === null || value === undefined) return null;
  let normalised: string;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255) throw invalidProtocol(value);
    normalised = String(value);
  } else if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'any') return null;
    if (/^[0-9]{1,3}$/.test(value)) {
      const n = Number(value);
      if (n > 255) throw invalidProtocol(value);
      normalised = String(n);
    } else if (isProtocolName(lower)) {
      normalised = lower;
    } else {
      throw invalidProtocol(value);
    }
  } else {
    throw invalidProtocol(value);
  }
  if (etherType === 'IPv6') {
    if (normalised === 'icmp' || normalised === 'icmpv6') return 'ipv6-icmp';
    if (normalised === '1') return '58';
  }
  return normalised;
}

export { PROTOCOLS, PROTOCOL_NAMES, protocolIdentity, protocolLabel, protocolMeaning, type ProtocolInfo, type ProtocolMeaning } from '../contract/index.js';
