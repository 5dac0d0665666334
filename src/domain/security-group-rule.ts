// Security-group rules: the validated, normalised form, parsing in Neutron's order (S2–S20), identity (§7.4).
import { prefixConflictsWithEtherType, protocolConflictsWithEtherType, type RuleIdentityFields } from '../contract/index.js';
import { formatCidr, formatNormalizedCidr, tryParseCidr, parseCidr, type Cidr } from './cidr.js';
import { parseDirection, type Direction } from './direction.js';
import { InvalidInputError, type InputIssue } from './errors.js';
import { parseEtherType, type EtherType } from './ether-type.js';
import { canonicalPortRange, checkPortRange, parsePortValue } from './port-range.js';
import { parseProtocol } from './protocol.js';
import { parseString } from './text-attribute.js';

/** What a rule says, once validated and normalised; no identity, owner or timestamps. */
export interface RuleSpec extends RuleIdentityFields {
  readonly direction: Direction;
  readonly etherType: EtherType;
  readonly description: string;
}

export interface SecurityGroupRule extends RuleSpec {
  readonly id: string;
  readonly securityGroupId: string;
  readonly projectId: string;
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the scheduler deletes the rule (Palisade's `expires_at` extension); absent or null: never. */
  readonly expiresAt?: string | null;
}

/** A rule as a client sent it, before validation: fields may hold anything JSON can. */
export interface RuleDraft {
  readonly direction?: unknown;
  readonly etherType?: unknown;
  readonly protocol?: unknown;
  readonly portRangeMin?: unknown;
  readonly portRangeMax?: unknown;
  readonly remoteIpPrefix?: unknown;
  readonly remoteGroupId?: unknown;
  readonly remoteAddressGroupId?: unknown;
  readonly description?: unknown;
}

function attempt<T>(issues: InputIssue[], fallback: T, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof InvalidInputError) {
      issues.push(...e.issues);
      return fallback;
    }
    throw e;
  }
}

function parseOptionalId(value: unknown, attribute: string): string | null {
  if (value === null || value === undefined) return null;
  return parseString(value, attribute, 36);
}

/** Validate and normalise a rule draft; throws one InvalidInputError listing every issue found. */
export function parseRuleSpec(draft: RuleDraft): RuleSpec {
  const issues: InputIssue[] = [];
  const direction = attempt<Direction>(issues, 'ingress', () => parseDirection(draft.direction));
  const etherType = attempt<EtherType>(issues, 'IPv4', () =>
    draft.etherType === undefined || draft.etherType === null ? 'IPv4' : parseEtherType(draft.etherType),
  );
  const protocol = attempt<string | null>(issues, null, () => parseProtocol(draft.protocol, etherType));
  const min = attempt(issues, null, () => parsePortValue(draft.portRangeMin, 'port_range_min'));
  const max = attempt(issues, null, () => parsePortValue(draft.portRangeMax, 'port_range_max'));
  const cidr = attempt<Cidr | null>(issues, null, () =>
    draft.remoteIpPrefix === null || draft.remoteIpPrefix === undefined ? null : parseCidr(draft.remoteIpPrefix),
  );
  const remoteGroupId = attempt(issues, null, () => parseOptionalId(draft.remoteGroupId, 'remote_group_id'));
  const remoteAddressGroupId = attempt(issues, null, () =>
    parseOptionalId(draft.remoteAddressGroupId, 'remote_address_group_id'),
  );
  const description = attempt(issues, '', () =>
    draft.description === undefined || draft.description === null ? '' : parseString(draft.description, 'description'),
  );
  if (issues.length > 0) throw new InvalidInputError(issues);

  const ports = canonicalPortRange({ min, max });
  const semantic =
    checkEtherTypeForProtocol(etherType, protocol) ??
    checkPortRange(protocol, ports) ??
    checkPrefixVersion(etherType, cidr, draft.remoteIpPrefix) ??
    checkSingleRemote(cidr, remoteGroupId, remoteAddressGroupId);
  if (semantic) throw new InvalidInputError([semantic]);

  return {
    direction,
    etherType,
    protocol,
    portRangeMin: ports.min,
    portRangeMax: ports.max,
    remoteIpPrefix: cidr ? formatCidr(cidr) : null,
    remoteGroupId,
    remoteAddressGroupId,
    description,
  };
}

function checkEtherTypeForProtocol(etherType: EtherType, protocol: string | null): InputIssue | null {
  if (!protocolConflictsWithEtherType(etherType, protocol)) return null;
  return {
    path: 'protocol',
    code: 'SecurityGroupEthertypeConflictWithProtocol',
    message: `Invalid ethertype ${etherType} for protocol ${protocol}.`,
  };
}

function checkPrefixVersion(etherType: EtherType, cidr: Cidr | null, input: unknown): InputIssue | null {
  if (!prefixConflictsWithEtherType(etherType, cidr)) return null;
  return {
    path: 'remote_ip_prefix',
    code: 'SecurityGroupRuleParameterConflict',
    message: `Conflicting value ethertype ${etherType} for CIDR ${String(input)}`,
  };
}

function checkSingleRemote(cidr: Cidr | null, group: string | null, addressGroup: string | null): InputIssue | null {
  if ([cidr, group, addressGroup].filter((v) => v !== null).length <= 1) return null;
  return {
    path: 'remote_ip_prefix',
    code: 'SecurityGroupMultipleRemoteEntites',
    message: 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
  };
}

/** `remote_ip_prefix` with host bits cleared; null when the rule has no prefix. */
export function normalizedCidrOf(rule: Pick<RuleSpec, 'remoteIpPrefix'>): string | null {
  if (rule.remoteIpPrefix === null) return null;
  const cidr = tryParseCidr(rule.remoteIpPrefix);
  return cidr ? formatNormalizedCidr(cidr) : null;
}

export { ruleIdentity } from '../contract/index.js';
