// The host projection: what one host's agent needs to enforce its ports, as a pure function of the region.
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

export type HostResource = 'port' | 'security_group' | 'security_group_rule' | 'member';
export type HostAction = 'create' | 'update' | 'delete';

/** One record of a host feed; `seq` is the global change that caused it (one change may cause several). */
export interface HostChange {
  readonly seq: number;
  readonly resource: HostResource;
  readonly action: HostAction;
  readonly id: string;
  readonly object: Port | SecurityGroup | SecurityGroupRule | HostMember | null;
}

export interface HostProjection {
  readonly ports: Map<string, Port>;
  readonly groups: Map<string, SecurityGroup>;
  readonly rules: Map<string, SecurityGroupRule>;
  readonly members: Map<string, HostMember>;
}

/**
 * The kinds of remote a rule can name, each a field of the rule; the projection carries the members of
 * every remote its rules name. A new kind (address groups) is one more entry here and in the projector.
 */
export const REMOTE_KINDS = { group: (r: SecurityGroupRule) => r.remoteGroupId } as const;
export type RemoteKind = keyof typeof REMOTE_KINDS;

/** The remote groups these rules name, with one entry per naming rule (the projector counts them). */
export function remoteGroupsNamed(rules: Iterable<SecurityGroupRule>): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const g = REMOTE_KINDS.group(r);
    if (g !== null) out.push(g);
  }
  return out;
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

/** Assembles a host's projection from its bound ports, the groups and rules they use, and candidate members. */
export function assembleProjection(
  host: string,
  local: Iterable<Port>,
  groups: Iterable<SecurityGroup>,
  rules: Iterable<SecurityGroupRule>,
  candidates: Iterable<Port>,
): HostProjection {
  const p: HostProjection = { ports: new Map(), groups: new Map(), rules: new Map(), members: new Map() };
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
  return p;
}

/** The projection of a whole region for one host, computed directly (the reference the feed must match). */
export function projectRegion(host: string, ports: readonly Port[], groups: Iterable<SecurityGroup>, rules: Iterable<SecurityGroupRule>): HostProjection {
  return assembleProjection(host, ports, groups, rules, ports);
}

/** Follows one host-feed record; a reader that applies every record in order holds the projection. */
export function applyHostChange(p: HostProjection, c: HostChange): void {
  const maps = { port: p.ports, security_group: p.groups, security_group_rule: p.rules, member: p.members } as const;
  const map = maps[c.resource] as Map<string, unknown>;
  if (c.action === 'delete' || c.object === null) map.delete(c.id);
  else map.set(c.id, c.object);
}
