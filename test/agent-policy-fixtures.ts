// Builds the same policy as API wire objects (for the agent) and domain objects (for the engine) in tests.
import { formatNormalizedCidr, tryParseCidr, type AddressGroupWire, type PortWire, type SecurityGroupRuleWire, type SecurityGroupWire } from '../src/contract/index.js';
import type { PolicySnapshot } from '../src/engine/index.js';

export interface PortSpec {
  id: string;
  host: string;
  mac: string;
  ips: string[];
  pairs?: string[];
  groups: string[];
  portSecurity?: boolean;
}

export interface RuleSpecT {
  id: string;
  group: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  min: number | null;
  max: number | null;
  prefix: string | null;
  normalized: string | null;
  remoteGroup: string | null;
  remoteAddressGroup?: string | null;
}

export interface PolicySpec {
  groups: { id: string; stateful: boolean }[];
  rules: RuleSpecT[];
  ports: PortSpec[];
  /** Address groups by id; their CIDRs are normalised as the API stores them. */
  addressGroups?: { id: string; addresses: string[] }[];
}

const normalised = (addresses: readonly string[]) => [...new Set(addresses.map((a) => formatNormalizedCidr(tryParseCidr(a)!)))].sort();

const AT = '2026-01-01T00:00:00Z';
const common = { project_id: 'p', tenant_id: 'p', revision_number: 1, created_at: AT, updated_at: AT, description: '' };

export function toWire(p: PolicySpec): { ports: PortWire[]; groups: SecurityGroupWire[]; rules: SecurityGroupRuleWire[]; addressGroups: AddressGroupWire[] } {
  return {
    addressGroups: (p.addressGroups ?? []).map((a) => ({ ...common, id: a.id, name: a.id, addresses: normalised(a.addresses) })),
    groups: p.groups.map((g) => ({ ...common, id: g.id, name: g.id, stateful: g.stateful, shared: false, tags: [] })),
    rules: p.rules.map((r) => ({
      ...common, id: r.id, security_group_id: r.group, direction: r.direction, ethertype: r.ethertype, protocol: r.protocol,
      port_range_min: r.min, port_range_max: r.max, remote_ip_prefix: r.prefix, normalized_cidr: r.normalized,
      remote_group_id: r.remoteGroup, remote_address_group_id: r.remoteAddressGroup ?? null, belongs_to_default_sg: false,
    })),
    ports: p.ports.map((x) => ({
      ...common, id: x.id, name: '', network_id: 'n', mac_address: x.mac, fixed_ips: x.ips.map((ip) => ({ subnet_id: 's', ip_address: ip })),
      device_id: 'd', device_owner: 'compute:nova', 'binding:host_id': x.host, admin_state_up: true, status: 'ACTIVE',
      security_groups: x.groups, port_security_enabled: x.portSecurity ?? true,
      allowed_address_pairs: (x.pairs ?? []).map((ip) => ({ ip_address: ip, mac_address: x.mac })),
    })),
  };
}

const dcommon = { projectId: 'p', revisionNumber: 1, createdAt: AT, updatedAt: AT, description: '' };

export function toDomain(p: PolicySpec): PolicySnapshot {
  return {
    addressGroups: (p.addressGroups ?? []).map((a) => ({ ...dcommon, id: a.id, name: a.id, addresses: normalised(a.addresses) })),
    groups: p.groups.map((g) => ({ ...dcommon, id: g.id, name: g.id, stateful: g.stateful, isDefault: false, tags: [] })),
    rules: p.rules.map((r) => ({
      ...dcommon, id: r.id, securityGroupId: r.group, direction: r.direction, etherType: r.ethertype, protocol: r.protocol,
      portRangeMin: r.min, portRangeMax: r.max, remoteIpPrefix: r.prefix, remoteGroupId: r.remoteGroup, remoteAddressGroupId: r.remoteAddressGroup ?? null,
    })),
    ports: p.ports.map((x) => ({
      ...dcommon, id: x.id, name: '', networkId: 'n', macAddress: x.mac, fixedIps: x.ips.map((ip) => ({ subnetId: 's', ipAddress: ip })),
      deviceId: 'd', deviceOwner: 'compute:nova', hostId: x.host, adminStateUp: true, securityGroupIds: x.groups,
      portSecurityEnabled: x.portSecurity ?? true, allowedAddressPairs: (x.pairs ?? []).map((ip) => ({ ipAddress: ip, macAddress: x.mac })),
    })),
  };
}
