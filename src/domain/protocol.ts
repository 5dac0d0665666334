// Rule protocols: the parser that normalises them as Neutron does (neutron-api.md §7.1); the table lives in the contract.
import { normalizeProtocol, PROTOCOL_NAMES } from '../contract/index.js';
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

/** A rule's protocol in Neutron's normal form (see the contract's normalizeProtocol); SecurityGroupRuleInvalidProtocol otherwise. */
export function parseProtocol(value: unknown, etherType: EtherType): string | null {
  const normalised = normalizeProtocol(value, etherType);
  if (normalised === undefined) throw invalidProtocol(value);
  return normalised;
}

export { PROTOCOLS, PROTOCOL_NAMES, protocolIdentity, protocolLabel, protocolMeaning, type ProtocolInfo, type ProtocolMeaning } from '../contract/index.js';
