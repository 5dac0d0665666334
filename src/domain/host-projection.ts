// The host projection: what one host's agent needs to enforce its ports, as a pure function of the region.
import type { AddressGroup } from './address-group.js';
import type { AllowedAddressPair, Port } from './port.js';
import type { SecurityGroup } from './security-group.js';
import type { SecurityGroupRule } from './security-group-rule.js';

/**
 * A port not bound to the host, seen through it: its addresses, and those of its groups that the host's
 * rules name as remote groups (never empty: a port in none of them is no member the host needs).
 */
export interface HostMember {
  readonly id: string;
  readonly macAddress: string;
  readonly fixedIps: readonly string[];
  readonly allowedAddressPairs: readonly AllowedAddressPair[];
  readonly securityGroupIds: readonly string[];
}

export type HostResource = 'port' | 'security_group' | 'security_group_rule' | 'member' | 'address_group';
export type HostAction = 'create' | 'update' | 'delete';

/** One record of a host feed; `seq` is the global change that caused it (one change may cause several). */
export interface HostChange {
  readonly seq: number;
  readonly resource: HostResource;
  readonly action: HostAction;
  readonly id: string;
  readonly object: Port | SecurityGroup | SecurityGroupRule | HostMember | AddressGroup | null;
}

export interface HostProjection {
  readonly ports: Map<string, Port>;
  readonly groups: Map<string, SecurityGroup>;
  readonly rules: Map<string, SecurityGroupRule>;
  readonly members: Map<string, HostMember>;
  /** The address groups the host's rules name as `remote_address_group_id`, complete (their CIDRs). */
  readonly addressGroups: Map<string, AddressGroup>;
}

/**
 * The kinds of remote a rule can name, each a field of the rule; the projection carries every remote its
 * rules name (a remote group's members, an address group whole), counted per host in `host_remotes`.
 */
export const REMOTE_KINDS = {
  group: (r: SecurityGroupRule) => r.remoteGroupId,
  address_group: (r: SecurityGroupRule) => r.remoteAddressGroupId,
} as const;
export type RemoteKind = keyof typeof REMOTE_KINDS;

/** The remotes of one kind these rules name, with one entry per naming rule (the projector counts them). */
export function remotesNamed(kind: RemoteKind, rules: Iterable<SecurityGroupRule>): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const id = REMOTE_KINDS[kind](r);
    if (id !== null) out.push(id);
  }
  return out;
}

/** The remote groups these rules name, one entry per naming rule. */
export function remoteGroupsNamed(rules: Iterable<SecurityGroupRule>): string[] {
  return remotesNamed('group', rules);
}

/** The port as a member seen from a host whose rules name `remotes`; null when it is in none of them. */
export function memberOf(port: Port, remotes: ReadonlySet<string>): HostMember | null {
  const groups = port.securityGroupIds.filter((g) => remotes.has(g));
  if (groups.length === 0) return null;
  return {
    id: port.id, macAddress: port.macAddress, fixedIps: port.fixedIps.map((f) => f.ipAddress),
    allowedAddressPairs: port.allowedAddressPairs, securityGroupIds: groups,
  };
}

/** Whether two member views differ in anything the host enforces. */
export function isSameMember(a: HostMember, b: HostMember): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An empty projection (a host with no ports). */
export function emptyProjection(): HostProjection {
  return { ports: new Map(), groups: new Map(), rules: new Map(), members: new Map(), addressGroups: new Map() };
}

/**
 * Assembles a host's projection from its bound ports, the groups and rules they use, candidate members, and
 * candidate address groups (those the rules name are kept).
 */
export function assembleProjection(
  host: string,
  local: Iterable<Port>,
  groups: Iterable<SecurityGroup>,
  rules: Iterable<SecurityGroupRule>,
  candidates: Iterable<Port>,
  addressGroups: Iterable<AddressGroup>,
): HostProjection {
  const p = emptyProjection();
  for (const port of local) if (port.hostId === host) p.ports.set(port.id, port);
  const used = new Set([...p.ports.values()].flatMap((port) => port.securityGroupIds));
  for (const g of groups) if (used.has(g.id)) p.groups.set(g.id, g);
  for (const r of rules) if (used.has(r.securityGroupId)) p.rules.set(r.id, r);
  const remotes = new Set(remoteGroupsNamed(p.rules.values()));
  for (const port of candidates) {
    if (port.hostId === host) continue;
    const m = memberOf(port, remotes);
    if (m) p.members.set(m.id, m);
  }
  const named = new Set(remotesNamed('address_group', p.rules.values()));
  for (const a of addressGroups) if (named.has(a.id)) p.addressGroups.set(a.id, a);
  return p;
}

/** The projection of a whole region for one host, computed directly (the reference the feed must match). */
export function projectRegion(
  host: string, ports: readonly Port[], groups: Iterable<SecurityGroup>, rules: Iterable<SecurityGroupRule>, addressGroups: Iterable<AddressGroup>,
): HostProjection {
  return assembleProjection(host, ports, groups, rules, ports, addressGroups);
}

/** Follows one host-feed record; a reader that applies every record in order holds the projection. */
export function applyHostChange(p: HostProjection, c: HostChange): void {
  const maps = { port: p.ports, security_group: p.groups, security_group_rule: p.rules, member: p.members, address_group: p.addressGroups } as const;
  const map = maps[c.resource] as Map<string, unknown>;
  if (c.action === 'delete' || c.object === null) map.delete(c.id);
  else map.set(c.id, c.object);
}
