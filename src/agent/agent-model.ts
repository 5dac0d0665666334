// The agent's model of the cloud: ports, groups and rules from the wire, kept current by change records.
import type { ChangeWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../api/wire/neutron-wire.js';
import { parsePrefix, type Prefix } from './ip-prefix.js';
import { protocolMatchOf, type ProtocolMatch } from './protocol-table.js';

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

export function portFromWire(w: PortWire): ModelPort {
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
  };
}

export function groupFromWire(w: SecurityGroupWire): ModelGroup {
  return { id: need(w.id, 'group id'), stateful: w.stateful !== false };
}

/** Everything the agent knows; `apply` follows one change record. */
export class AgentModel {
  readonly ports = new Map<string, ModelPort>();
  readonly groups = new Map<string, ModelGroup>();
  readonly rules = new Map<string, ModelRule>();
  /** The wire objects behind the model, kept to persist it. */
  readonly wire = { ports: new Map<string, PortWire>(), groups: new Map<string, SecurityGroupWire>(), rules: new Map<string, SecurityGroupRuleWire>() };

  static of(ports: readonly PortWire[], groups: readonly SecurityGroupWire[], rules: readonly SecurityGroupRuleWire[]): AgentModel {
    const m = new AgentModel();
    for (const g of groups) m.#put('security_group', g.id, g);
    for (const r of rules) m.#put('security_group_rule', r.id, r);
    for (const p of ports) m.#put('port', p.id, p);
    return m;
  }

  /** Applies one change; throws MalformedInputError (and changes nothing) when it cannot be read. */
  apply(change: ChangeWire): void {
    if (change.resource === 'network' || change.resource === 'subnet') return;
    if (change.action === 'delete' || change.object === null) this.#drop(change.resource, change.id);
    else this.#put(change.resource, change.id, change.object);
  }

  #put(resource: ChangeWire['resource'], id: string, object: NonNullable<ChangeWire['object']>): void {
    if (typeof object !== 'object' || object.id !== id) throw new MalformedInputError(`${resource} ${id}: object does not match`);
    if (resource === 'port') {
      this.ports.set(id, portFromWire(object as PortWire));
      this.wire.ports.set(id, object as PortWire);
    } else if (resource === 'security_group') {
      this.groups.set(id, groupFromWire(object as SecurityGroupWire));
      this.wire.groups.set(id, object as SecurityGroupWire);
    } else if (resource === 'security_group_rule') {
      this.rules.set(id, ruleFromWire(object as SecurityGroupRuleWire));
      this.wire.rules.set(id, object as SecurityGroupRuleWire);
    } else {
      throw new MalformedInputError(`unknown resource ${String(resource)}`);
    }
  }

  #drop(resource: ChangeWire['resource'], id: string): void {
    if (resource === 'port') this.ports.delete(id), this.wire.ports.delete(id);
    else if (resource === 'security_group') this.groups.delete(id), this.wire.groups.delete(id);
    else if (resource === 'security_group_rule') this.rules.delete(id), this.wire.rules.delete(id);
    else throw new MalformedInputError(`unknown resource ${String(resource)}`);
  }

}
