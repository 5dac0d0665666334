// The semantics written as plainly as neutron-api.md §10 states it (a loop over rules); only tests import it.
// It parses addresses, prefixes and protocols with its own code: a bug in the engine's shared parsers cannot hide here.
import type { AddressGroup, Port, SecurityGroupRule } from '../domain/index.js';
import type { Flow } from './flow.js';
import { refAddress, refInside, refProtocol, type RefAddress } from './reference-parsing.test-support.js';
import type { VerdictReason } from './verdict.js';

export interface ReferenceWorld {
  readonly rules: readonly SecurityGroupRule[];
  readonly ports: readonly Port[];
  readonly addressGroups?: readonly AddressGroup[];
}

export interface ReferenceAnswer {
  readonly verdict: 'allow' | 'deny';
  readonly reason: VerdictReason;
  readonly matches: readonly string[];
}

function ip(text: string | undefined): RefAddress | null {
  return text === undefined ? null : refAddress(text);
}

function linkLocal(mac: string): RefAddress | null {
  const bytes = mac.split(':').map((b) => parseInt(b, 16));
  if (bytes.length !== 6 || bytes.some((b) => Number.isNaN(b))) return null;
  const iid = [bytes[0]! ^ 2, bytes[1]!, bytes[2]!, 0xff, 0xfe, bytes[3]!, bytes[4]!, bytes[5]!];
  return { version: 6, value: (0xfe80n << 112n) | iid.reduce((v, b) => (v << 8n) | BigInt(b), 0n) };
}

function isFixedIp(port: Port, address: RefAddress): boolean {
  return port.fixedIps.some((f) => {
    const own = ip(f.ipAddress);
    return own !== null && own.version === address.version && own.value === address.value;
  });
}

function holdsAddress(port: Port, address: RefAddress): boolean {
  return isFixedIp(port, address) || port.allowedAddressPairs.some((p) => refInside(p.ipAddress, address));
}

function ownsAddress(port: Port, address: RefAddress): boolean {
  if (holdsAddress(port, address)) return true;
  const macs = [port.macAddress, ...port.allowedAddressPairs.map((p) => p.macAddress || port.macAddress)];
  return macs.some((m) => {
    const ll = linkLocal(m);
    return ll !== null && address.version === 6 && ll.value === address.value;
  });
}

function portsMatch(rule: SecurityGroupRule, flow: Flow): boolean {
  const meaning = refProtocol(rule.protocol);
  const { portRangeMin: min, portRangeMax: max } = rule;
  if (meaning.number === null) return true;
  if (meaning.range === 'ports') return (min === null || flow.port! >= min) && (max === null || flow.port! <= max);
  if (meaning.range === 'icmp') return min === null || (flow.icmpType === min && (max === null || flow.icmpCode === max));
  return true;
}

function remoteMatches(world: ReferenceWorld, rule: SecurityGroupRule, address: RefAddress): boolean {
  if (rule.remoteIpPrefix !== null) return refInside(rule.remoteIpPrefix, address);
  if (rule.remoteGroupId !== null) {
    const group = rule.remoteGroupId;
    return world.ports.some((q) => q.securityGroupIds.includes(group) && holdsAddress(q, address));
  }
  if (rule.remoteAddressGroupId !== null) {
    const group = world.addressGroups?.find((g) => g.id === rule.remoteAddressGroupId);
    return group !== undefined && group.addresses.some((a) => refInside(a, address));
  }
  return true;
}

/** Ids of the ports of `groupId` holding the address (fixed IP or pair prefix), sorted: explain's evidence, plainly. */
export function referenceMemberPorts(world: ReferenceWorld, groupId: string, remoteIp: string): string[] {
  const address = ip(remoteIp);
  if (address === null) return [];
  return world.ports.filter((q) => q.securityGroupIds.includes(groupId) && holdsAddress(q, address)).map((q) => q.id).sort();
}

export function ruleMatches(world: ReferenceWorld, rule: SecurityGroupRule, flow: Flow): boolean {
  const meaning = refProtocol(rule.protocol);
  const remote = ip(flow.remoteIp);
  return (
    rule.direction === flow.direction &&
    rule.etherType === flow.etherType &&
    (meaning.number === null || meaning.number === flow.protocol) &&
    portsMatch(rule, flow) &&
    remote !== null &&
    remoteMatches(world, rule, remote)
  );
}

const isUdp = (flow: Flow, from: number, to: number) => flow.protocol === 17 && flow.sourcePort === from && flow.port === to;
const isDhcp = (flow: Flow, from: number, to: number) => flow.etherType === 'IPv4' && isUdp(flow, from, to);
const isDhcp6 = (flow: Flow, from: number, to: number) => flow.etherType === 'IPv6' && isUdp(flow, from, to);
const isIcmpv6 = (flow: Flow, types: number[]) => flow.etherType === 'IPv6' && flow.protocol === 58 && types.includes(flow.icmpType ?? -1);

function guard(port: Port, flow: Flow): VerdictReason | null {
  const local = ip(flow.localIp);
  if (flow.direction === 'egress') {
    if (flow.localIp === '0.0.0.0' && flow.remoteIp === '255.255.255.255' && isDhcp(flow, 68, 67)) return 'always-allowed';
    if (local?.version === 6 && local.value === 0n && refInside('ff02::/16', ip(flow.remoteIp)!) && isIcmpv6(flow, [131, 135, 143])) return 'always-allowed';
    if (local !== null && !ownsAddress(port, local)) return 'spoofed';
    if (isDhcp(flow, 67, 68) || isDhcp6(flow, 547, 546) || isIcmpv6(flow, [134])) return 'always-denied';
    if (isDhcp(flow, 68, 67) || isDhcp6(flow, 546, 547) || isIcmpv6(flow, [130, 133, 135, 136])) return 'always-allowed';
    return null;
  }
  const toPort = local === null || isFixedIp(port, local);
  if (isDhcp(flow, 67, 68) && (toPort || flow.localIp === '255.255.255.255')) return 'always-allowed';
  if (isDhcp6(flow, 547, 546) && (toPort || refInside('fe80::/64', local!))) return 'always-allowed';
  const hasIpv6 = port.fixedIps.some((f) => ip(f.ipAddress)?.version === 6);
  return isIcmpv6(flow, [130, 135, 136]) || (isIcmpv6(flow, [134]) && hasIpv6) ? 'always-allowed' : null;
}

const ALLOWING: readonly VerdictReason[] = ['rule', 'always-allowed', 'port-security-disabled', 'trusted-port'];

/** The verdict, its reason and the ids of the matching rules (sorted), by a loop over every rule. */
export function referenceEvaluate(world: ReferenceWorld, portId: string, flow: Flow): ReferenceAnswer {
  const port = world.ports.find((p) => p.id === portId);
  if (port === undefined) throw new Error(`no port ${portId}`);
  let reason: VerdictReason;
  let matches: string[] = [];
  if (!port.portSecurityEnabled) reason = 'port-security-disabled';
  else if (port.deviceOwner.startsWith('network:')) reason = 'trusted-port';
  else {
    matches = world.rules.filter((r) => port.securityGroupIds.includes(r.securityGroupId) && ruleMatches(world, r, flow)).map((r) => r.id).sort();
    reason = guard(port, flow) ?? (matches.length > 0 ? 'rule' : 'no-matching-rule');
  }
  return { verdict: ALLOWING.includes(reason) ? 'allow' : 'deny', reason, matches };
}
