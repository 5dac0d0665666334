// Can port A reach port B on a service: A's egress and B's ingress, and the smallest rule that would open a block.
import { InvalidInputError, parseProtocol, protocolMeaning, type EtherType, type RuleSpec } from '../domain/index.js';
import { formatWords } from '../contract/index.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { explainFlow, groupNameOf, type Explanation } from './explain.js';
import { newParsedFlow, parseFlowInto, type Flow } from './flow.js';

/** A service: a protocol (name or number) with its destination port or ICMP type/code (echo request by default). */
export interface ServiceSpec {
  readonly protocol: string | number;
  readonly port?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Default: IPv4 when both ports have an IPv4 address, else IPv6. */
  readonly etherType?: EtherType;
}

export type BlockingSide = 'source-egress' | 'destination-ingress';

/** A rule that, added to `groupId`, would lift the block on `side`. */
export interface OpeningRule {
  readonly side: BlockingSide;
  readonly portId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly rule: RuleSpec;
}

export interface Reachability {
  readonly verdict: 'allow' | 'deny';
  readonly etherType: EtherType;
  readonly sourceIp: string;
  readonly destinationIp: string;
  readonly egress: Explanation;
  readonly ingress: Explanation;
  readonly blockedBy: readonly BlockingSide[];
  readonly openWith: readonly OpeningRule[];
  /** A stateless group on either side: the replies need rules of their own. */
  readonly repliesNeedRules: boolean;
}

function invalid(path: string, message: string): InvalidInputError {
  return new InvalidInputError([{ path, code: 'InvalidInput', message }]);
}

function addressOf(entry: PortEntry, version: 4 | 6): string | null {
  const fixed = entry.profile.fixed.find((a) => a.version === version);
  return fixed === undefined ? null : formatWords(version, fixed.words);
}

function etherTypeFor(src: PortEntry, dst: PortEntry, wanted: EtherType | undefined): EtherType {
  if (wanted !== undefined) return wanted;
  return addressOf(src, 4) !== null && addressOf(dst, 4) !== null ? 'IPv4' : 'IPv6';
}

/** The flow of a service between two addresses, seen from the sending port. */
export function serviceFlow(service: ServiceSpec, etherType: EtherType, from: string, to: string): Flow {
  const protocol = parseProtocol(service.protocol, etherType);
  const meaning = protocolMeaning(protocol);
  if (meaning.number === null) throw invalid('protocol', 'a service needs one protocol, not every protocol.');
  const icmp = meaning.hasIcmpTypeCode ? { icmpType: service.icmpType ?? (etherType === 'IPv4' ? 8 : 128), icmpCode: service.icmpCode ?? 0 } : {};
  const port = service.port === undefined ? {} : { port: service.port };
  return { direction: 'egress', etherType, protocol: meaning.number, remoteIp: to, localIp: from, ...port, ...icmp };
}

function openingRule(side: BlockingSide, blocked: PortEntry, other: PortEntry, flow: Flow, otherIp: string, protocol: string | null): OpeningRule | null {
  const groupId = blocked.profile.port.securityGroupIds[0];
  if (groupId === undefined) return null;
  const remoteGroupId = other.profile.port.securityGroupIds[0] ?? null;
  const isIcmp = flow.icmpType !== undefined;
  const rule: RuleSpec = {
    direction: side === 'source-egress' ? 'egress' : 'ingress',
    etherType: flow.etherType,
    protocol,
    portRangeMin: isIcmp ? (flow.icmpType ?? null) : (flow.port ?? null),
    portRangeMax: isIcmp ? (flow.icmpCode ?? null) : (flow.port ?? null),
    remoteIpPrefix: remoteGroupId === null ? `${otherIp}/${flow.etherType === 'IPv4' ? 32 : 128}` : null,
    remoteGroupId,
    remoteAddressGroupId: null,
    description: 'suggested by reachability',
  };
  return { side, portId: blocked.profile.port.id, groupId, groupName: '', rule };
}

export function reachabilityOf(state: EngineState, src: PortEntry, dst: PortEntry, service: ServiceSpec): Reachability {
  const etherType = etherTypeFor(src, dst, service.etherType);
  const version = etherType === 'IPv4' ? 4 : 6;
  const sourceIp = addressOf(src, version);
  const destinationIp = addressOf(dst, version);
  if (sourceIp === null || destinationIp === null) {
    throw invalid('etherType', `ports ${src.profile.port.id} and ${dst.profile.port.id} do not both have an ${etherType} fixed IP.`);
  }
  const out = serviceFlow(service, etherType, sourceIp, destinationIp);
  const into: Flow = { ...out, direction: 'ingress', remoteIp: sourceIp, localIp: destinationIp };
  const egress = explainFlow(state, src, out, parseFlowInto(out, newParsedFlow()));
  const ingress = explainFlow(state, dst, into, parseFlowInto(into, newParsedFlow()));
  const protocol = parseProtocol(service.protocol, etherType);
  const blockedBy: BlockingSide[] = [];
  const openWith: OpeningRule[] = [];
  for (const [side, e, blocked, other, otherIp, flow] of [
    ['source-egress', egress, src, dst, destinationIp, out],
    ['destination-ingress', ingress, dst, src, sourceIp, into],
  ] as const) {
    if (e.verdict === 'allow') continue;
    blockedBy.push(side);
    const opening = e.reason === 'no-matching-rule' ? openingRule(side, blocked, other, flow, otherIp, protocol) : null;
    if (opening !== null) openWith.push({ ...opening, groupName: groupNameOf(state, opening.groupId) });
  }
  return {
    verdict: blockedBy.length === 0 ? 'allow' : 'deny',
    etherType,
    sourceIp,
    destinationIp,
    egress,
    ingress,
    blockedBy,
    openWith,
    repliesNeedRules: !egress.stateful || !ingress.stateful,
  };
}
