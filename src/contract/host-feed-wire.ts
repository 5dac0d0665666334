// Host feeds on the wire (`/v2.0/palisade/hosts/{host}/…`): what the server sends and the agent reads.
import type { AddressGroupWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire } from './neutron-wire.js';

/** Every host-feed answer names its format; a reader meeting another one stops with a clear error. */
export const HOST_FEED_FORMAT = 'palisade-host-feed/1';

/** A port bound elsewhere, as one host needs it: addresses, and its groups that the host's rules name. */
export interface MemberWire {
  id: string;
  mac_address: string;
  fixed_ips: { ip_address: string }[];
  allowed_address_pairs: { ip_address: string; mac_address: string }[];
  security_groups: string[];
}

export type HostResourceWire = 'port' | 'security_group' | 'security_group_rule' | 'member' | 'address_group';

export interface HostChangeWire {
  seq: number;
  resource: HostResourceWire;
  action: 'create' | 'update' | 'delete';
  id: string;
  object: PortWire | SecurityGroupWire | SecurityGroupRuleWire | MemberWire | AddressGroupWire | null;
}

/** `GET …/hosts/{host}/changes`: follow on from `seq` (not only from the last record's). */
export interface HostPageWire {
  format: string;
  host: string;
  changes: HostChangeWire[];
  seq: number;
  latest_seq: number;
}

/** `GET …/hosts/{host}/state`: the host's projection, current at `seq`. */
export interface HostStateWire {
  format: string;
  host: string;
  seq: number;
  ports: PortWire[];
  security_groups: SecurityGroupWire[];
  security_group_rules: SecurityGroupRuleWire[];
  members: MemberWire[];
  /** The address groups the host's rules name as their remote. */
  address_groups: AddressGroupWire[];
}
