// The agent's model of its host: local ports, their groups and rules, remote members and address groups, kept current by host-feed records.
import type { AddressGroupWire, ChangeWire, HostChangeWire, MemberWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import { parsePrefix, type Prefix } from './ip-prefix.js';
import { protocolMeaning, rangeKindOf, type RangeKind } from '../contract/index.js';

export interface ModelPort {
  readonly id: string;
  readonly name: string;
  readonly hostId: string;
  readonly mac: string;
  readonly fixedIps: readonly Prefix[];
  readonly pairs: readonly { readonly prefix: Prefix; readonly mac: string }[];
  readonly groupIds: readonly string[];
  /** False for port security off and for trusted `network:*` ports: nothing is filtered. */
  readonly filtered: boolean;
}

/** The protocol a rule matches, as the agent enforces it. */
export interface ProtocolMatch {
  /** IP protocol number, or null for every protocol (null, "0", "ip", "hopopt", "any"). */
  readonly number: number | null;
  readonly range: RangeKind;
}

/** The match a rule's wire protocol stands for; throws on a value the API would never send. */
export function protocolMatchOf(protocol: string | null): ProtocolMatch {
  const meaning = protocolMeaning(protocol);
  if (Number.isNaN(meaning.number) || (meaning.number ?? 0) > 255) throw new RangeError(`unknown protocol ${JSON.stringify(protocol)}`);
  return { number: meaning.number, range: meaning.number === null ? 'none' : rangeKindOf(meaning) };
}

export interface ModelRule {
  readonly id: string;
  readonly groupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly version: 4 | 6;
  readonly protocol: ProtocolMatch;
  readonly min: number | null;
  readonly max: number | null;
  /** The remote prefix (normalised); null with no remote group means every address of the family. */
  readonly remotePrefix: Prefix | null;
  readonly remoteGroupId: string | null;
  /** An address group whose CIDRs are the remote (a shared set per group and family in the kernel). */
  readonly remoteAddressGroupId: string | null;
}

export interface ModelGroup {
  readonly id: string;
  readonly stateful: boolean;
}

/** Thrown for a change or listing the agent cannot read; the agent resyncs rather than guess. */
export class MalformedInputError extends Error {
  override readonly name = 'MalformedInputError';
}

function need<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new MalformedInputError(`missing ${what}`);
  return value;
}

function prefixOf(text: string, what: string): Prefix {
  return need(parsePrefix(text), `${what} (${JSON.stringify(text)} is not an address)`);
}

/** What a port's wire object and a member's share: enough to model either. */
type PortLikeWire = Pick<PortWire, 'id' | 'mac_address' | 'allowed_address_pairs' | 'security_groups'> & {
  fixed_ips: { ip_address: string }[];
} & Partial<Pick<PortWire, 'name' | 'binding:host_id' | 'port_security_enabled' | 'device_owner'>>;

export function portFromWire(w: PortLikeWire): ModelPort {
  const fixed = need(w.fixed_ips, 'fixed_ips').filter((f) => !f.ip_address.includes('/'));
  return {
    id: need(w.id, 'port id'),
    name: w.name ?? '',
    hostId: w['binding:host_id'] ?? '',
    mac: need(w.mac_address, 'mac_address').toLowerCase(),
    fixedIps: fixed.map((f) => prefixOf(f.ip_address, 'fixed_ips')),
    pairs: (w.allowed_address_pairs ?? []).map((p) => ({ prefix: prefixOf(p.ip_address, 'allowed_address_pairs'), mac: (p.mac_address || w.mac_address).toLowerCase() })),
    groupIds: [...new Set(need(w.security_groups, 'security_groups'))],
    filtered: w.port_security_enabled !== false && !(w.device_owner ?? '').startsWith('network:'),
  };
}

/** A port bound elsewhere, as the host feed sends it: filtered (it is in groups), on no host of the model's. */
export function memberFromWire(w: MemberWire): ModelPort {
  return portFromWire({ ...w, 'binding:host_id': '' });
}

export function ruleFromWire(w: SecurityGroupRuleWire): ModelRule {
  const version = w.ethertype === 'IPv6' ? 6 : w.ethertype === 'IPv4' ? 4 : null;
  if (w.direction !== 'ingress' && w.direction !== 'egress') throw new MalformedInputError(`rule ${w.id}: direction ${String(w.direction)}`);
  let protocol: ProtocolMatch;
  try {
    protocol = protocolMatchOf(w.protocol ?? null);
  } catch (e) {
    throw new MalformedInputError(`rule ${w.id}: ${(e as Error).message}`);
  }
  const prefixText = w.normalized_cidr ?? w.remote_ip_prefix;
  return {
    id: need(w.id, 'rule id'),
    groupId: need(w.security_group_id, 'security_group_id'),
    direction: w.direction,
    version: need(version, `rule ${w.id} ethertype`),
    protocol,
    min: w.port_range_min ?? null,
    max: w.port_range_max ?? null,
    remotePrefix: prefixText ? prefixOf(prefixText, 'remote_ip_prefix') : null,
    remoteGroupId: w.remote_group_id ?? null,
    remoteAddressGroupId: w.remote_address_group_id ?? null,
  };
}

/** An address group's CIDRs (normalised by the server). */
export function addressGroupFromWire(w: AddressGroupWire): readonly Prefix[] {
  need(w.id, 'address group id');
  return need(w.addresses, 'addresses').map((a) => prefixOf(a, 'addresses'));
}

export function groupFromWire(w: SecurityGroupWire): ModelGroup {
  return { id: need(w.id, 'group id'), stateful: w.stateful !== false };
}

type Index<T> = Map<string, Map<string, T>>;
type Resource = ChangeWire['resource'] | HostChangeWire['resource'];

const MEMBER_LOG = 1024;

function link<T>(index: Index<T>, key: string, id: string, item: T | undefined): void {
  const bucket = index.get(key);
  if (item === undefined) {
    if (bucket?.delete(id) && bucket.size === 0) index.delete(key);
  } else if (bucket) bucket.set(id, item);
  else index.set(key, new Map([[id, item]]));
}

/**
 * Everything the agent knows; `apply` follows one change record. Besides the objects, it keeps indexes
 * (rules by group, ports by group and by host) and a revision per dependency, which the desired-state
 * cache compares to rebuild only what a change touched.
 */
export class AgentModel {
  readonly #ports = new Map<string, ModelPort>();
  readonly #groups = new Map<string, ModelGroup>();
  readonly #rules = new Map<string, ModelRule>();
  /** Ports bound elsewhere that the host's rules name through a remote group (the host feed's members). */
  readonly #members = new Map<string, ModelPort>();
  readonly #addressGroups = new Map<string, readonly Prefix[]>();
  /** The wire objects behind the model, kept to persist it. */
  readonly wire = {
    ports: new Map<string, PortWire>(), groups: new Map<string, SecurityGroupWire>(), rules: new Map<string, SecurityGroupRuleWire>(),
    members: new Map<string, MemberWire>(), addressGroups: new Map<string, AddressGroupWire>(),
  };
  readonly #rulesByGroup: Index<ModelRule> = new Map();
  readonly #portsByGroup: Index<ModelPort> = new Map();
  readonly #membersByGroup: Index<ModelPort> = new Map();
  readonly #portsByHost: Index<ModelPort> = new Map();
  #revision = 0;
  /** Revision at which each dependency last changed: `r:<group>` its rules, `m:<group>` its members, `g:<group>` its flags (`g:*` any group's), `h:<host>` its ports, `a:<address group>` its addresses. */
  readonly #changedAt = new Map<string, number>();
  /** Per group, the ports whose membership or addresses changed, with the revision (bounded; older history is dropped). */
  readonly #memberLog = new Map<string, { revs: number[]; ids: string[]; since: number }>();

  static of(
    ports: readonly PortWire[], groups: readonly SecurityGroupWire[], rules: readonly SecurityGroupRuleWire[],
    members: readonly MemberWire[] = [], addressGroups: readonly AddressGroupWire[] = [],
  ): AgentModel {
    const m = new AgentModel();
    for (const a of addressGroups) m.#put('address_group', a.id, a);
    for (const g of groups) m.#put('security_group', g.id, g);
    for (const r of rules) m.#put('security_group_rule', r.id, r);
    for (const p of ports) m.#put('port', p.id, p);
    for (const p of members) m.#put('member', p.id, p);
    return m;
  }

  get members(): ReadonlyMap<string, ModelPort> {
    return this.#members;
  }

  /** A member port by id: a local port, or one bound elsewhere. */
  memberPort(id: string): ModelPort | undefined {
    return this.#ports.get(id) ?? this.#members.get(id);
  }

  get ports(): ReadonlyMap<string, ModelPort> {
    return this.#ports;
  }

  get groups(): ReadonlyMap<string, ModelGroup> {
    return this.#groups;
  }

  get rules(): ReadonlyMap<string, ModelRule> {
    return this.#rules;
  }

  /** The CIDRs of an address group; none when the model does not know it. */
  addressesOf(addressGroupId: string): readonly Prefix[] {
    return this.#addressGroups.get(addressGroupId) ?? [];
  }

  /** Bumped by every change. */
  get revision(): number {
    return this.#revision;
  }

  /** The revision at which a group's rules, members or flags (id `*`: any group's flags), or a host's ports, last changed (0: never). */
  changedAt(kind: 'rules' | 'members' | 'group' | 'host' | 'addresses', id: string): number {
    return this.#changedAt.get(`${kind[0]}:${id}`) ?? 0;
  }

  /** Ids of the group's member ports changed after `revision`, or null when the log no longer reaches back that far. */
  memberChangesSince(groupId: string, revision: number): string[] | null {
    const log = this.#memberLog.get(groupId);
    if (!log) return this.changedAt('members', groupId) <= revision ? [] : null;
    if (log.since > revision) return null;
    const out: string[] = [];
    for (let i = log.ids.length - 1; i >= 0 && log.revs[i]! > revision; i--) out.push(log.ids[i]!);
    return out;
  }

  rulesOf(groupId: string): Iterable<ModelRule> {
    return this.#rulesByGroup.get(groupId)?.values() ?? [];
  }

  /** Ports that are members of the group: local ones, and those bound elsewhere the host feed sent. */
  *membersOf(groupId: string): Iterable<ModelPort> {
    yield* this.#portsByGroup.get(groupId)?.values() ?? [];
    for (const m of this.#membersByGroup.get(groupId)?.values() ?? []) if (!this.#ports.has(m.id)) yield m;
  }

  portsOn(host: string): Iterable<ModelPort> {
    return this.#portsByHost.get(host)?.values() ?? [];
  }

  /** Applies one change; throws MalformedInputError (and changes nothing) when it cannot be read. */
  apply(change: ChangeWire | HostChangeWire): void {
    // Networks, subnets and the identity records of the audit do not change what a host enforces.
    const r = change.resource;
    if (r !== 'port' && r !== 'security_group' && r !== 'security_group_rule' && r !== 'member' && r !== 'address_group') return;
    if (change.action === 'delete' || change.object === null) this.#drop(change.resource, change.id);
    else this.#put(change.resource, change.id, change.object);
  }

  #put(resource: Resource, id: string, object: NonNullable<ChangeWire['object'] | HostChangeWire['object']>): void {
    if (typeof object !== 'object' || object.id !== id) throw new MalformedInputError(`${resource} ${id}: object does not match`);
    if (resource === 'port') {
      const port = portFromWire(object as PortWire);
      this.#setPort(id, port);
      this.wire.ports.set(id, object as PortWire);
    } else if (resource === 'security_group') {
      this.#setGroup(id, groupFromWire(object as SecurityGroupWire));
      this.wire.groups.set(id, object as SecurityGroupWire);
    } else if (resource === 'security_group_rule') {
      this.#setRule(id, ruleFromWire(object as SecurityGroupRuleWire));
      this.wire.rules.set(id, object as SecurityGroupRuleWire);
    } else if (resource === 'member') {
      this.#setMember(id, memberFromWire(object as MemberWire));
      this.wire.members.set(id, object as MemberWire);
    } else if (resource === 'address_group') {
      this.#setAddressGroup(id, addressGroupFromWire(object as AddressGroupWire));
      this.wire.addressGroups.set(id, object as AddressGroupWire);
    } else {
      throw new MalformedInputError(`unknown resource ${String(resource)}`);
    }
  }

  #drop(resource: Resource, id: string): void {
    if (resource === 'port') {
      this.#setPort(id, undefined);
      this.wire.ports.delete(id);
    } else if (resource === 'security_group') {
      this.#setGroup(id, undefined);
      this.wire.groups.delete(id);
    } else if (resource === 'security_group_rule') {
      this.#setRule(id, undefined);
      this.wire.rules.delete(id);
    } else if (resource === 'member') {
      this.#setMember(id, undefined);
      this.wire.members.delete(id);
    } else if (resource === 'address_group') {
      this.#setAddressGroup(id, undefined);
      this.wire.addressGroups.delete(id);
    } else throw new MalformedInputError(`unknown resource ${String(resource)}`);
  }

  #touch(...keys: string[]): void {
    this.#revision++;
    for (const k of keys) this.#changedAt.set(k, this.#revision);
  }

  #setPort(id: string, port: ModelPort | undefined): void {
    const old = this.#ports.get(id);
    if (old) {
      for (const g of old.groupIds) link(this.#portsByGroup, g, id, undefined);
      link(this.#portsByHost, old.hostId, id, undefined);
    }
    if (port) {
      this.#ports.set(id, port);
      for (const g of port.groupIds) link(this.#portsByGroup, g, id, port);
      link(this.#portsByHost, port.hostId, id, port);
    } else this.#ports.delete(id);
    const groups = new Set([...(old?.groupIds ?? []), ...(port?.groupIds ?? [])]);
    const hosts = new Set([old?.hostId, port?.hostId].filter((h): h is string => h !== undefined));
    this.#touch(...[...groups].map((g) => `m:${g}`), ...[...hosts].map((h) => `h:${h}`));
    for (const g of groups) this.#logMember(g, id);
  }

  #setMember(id: string, member: ModelPort | undefined): void {
    const old = this.#members.get(id);
    for (const g of old?.groupIds ?? []) link(this.#membersByGroup, g, id, undefined);
    if (member) {
      this.#members.set(id, member);
      for (const g of member.groupIds) link(this.#membersByGroup, g, id, member);
    } else this.#members.delete(id);
    const groups = new Set([...(old?.groupIds ?? []), ...(member?.groupIds ?? [])]);
    this.#touch(...[...groups].map((g) => `m:${g}`));
    for (const g of groups) this.#logMember(g, id);
  }

  #logMember(groupId: string, portId: string): void {
    let log = this.#memberLog.get(groupId);
    if (!log) this.#memberLog.set(groupId, (log = { revs: [], ids: [], since: this.#revision - 1 }));
    log.revs.push(this.#revision);
    log.ids.push(portId);
    if (log.ids.length > MEMBER_LOG) {
      log.since = log.revs[MEMBER_LOG / 2 - 1]!;
      log.revs.splice(0, MEMBER_LOG / 2);
      log.ids.splice(0, MEMBER_LOG / 2);
    }
  }

  #setGroup(id: string, group: ModelGroup | undefined): void {
    if (group) this.#groups.set(id, group);
    else this.#groups.delete(id);
    this.#touch(`g:${id}`, 'g:*');
  }

  #setAddressGroup(id: string, addresses: readonly Prefix[] | undefined): void {
    if (addresses) this.#addressGroups.set(id, addresses);
    else this.#addressGroups.delete(id);
    this.#touch(`a:${id}`);
  }

  #setRule(id: string, rule: ModelRule | undefined): void {
    const old = this.#rules.get(id);
    if (old) link(this.#rulesByGroup, old.groupId, id, undefined);
    if (rule) {
      this.#rules.set(id, rule);
      link(this.#rulesByGroup, rule.groupId, id, rule);
    } else this.#rules.delete(id);
    this.#touch(...[old?.groupId, rule?.groupId].filter((g): g is string => g !== undefined).map((g) => `r:${g}`));
  }
}
