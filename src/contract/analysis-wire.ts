// The analysis endpoints' answers (/v2.0/palisade/...) as wire objects: the service builds them, the console reads them.
import type { SecurityGroupRuleWire } from './neutron-wire.js';

/** What a rule says, without identity or owner: the rule fields the engine reports. */
export type RuleSpecWire = Pick<
  SecurityGroupRuleWire,
  | 'direction'
  | 'ethertype'
  | 'protocol'
  | 'port_range_min'
  | 'port_range_max'
  | 'remote_ip_prefix'
  | 'normalized_cidr'
  | 'remote_group_id'
  | 'remote_address_group_id'
  | 'description'
>;

export interface EffectiveRulesWire {
  port_id: string;
  filtering: 'filtered' | 'port-security-disabled' | 'trusted-port';
  security_groups: string[];
  stateful: boolean;
  rules: (RuleSpecWire & { origins: { rule_id: string; group_id: string; group_name: string }[] })[];
}

/** A member port behind a remote-group match; port_id is absent when the caller may not read that port. */
export interface MemberPortWire {
  port_id?: string;
  project_id: string;
  via: 'fixed_ip' | 'allowed_address_pair';
  prefix: string;
  foreign: boolean;
}

/** Why the flow's remote address is a member of the rule's remote group (on a remote field that matched). */
export interface RemoteMembersWire {
  security_group_id: string;
  security_group_name: string;
  count: number;
  wide: boolean;
  foreign: boolean;
  ports: MemberPortWire[];
}

/** `field` and `reason` stay open strings: a client must still show a field or reason added by a newer server. */
export interface FieldCheckWire {
  field: string;
  matched: boolean;
  rule: string;
  flow: string;
  remote_members?: RemoteMembersWire;
}

export interface RuleReportWire {
  rule_id: string;
  group_id: string;
  group_name: string;
  mismatches: number;
  fields: FieldCheckWire[];
}

export interface ExplanationWire {
  port_id: string;
  verdict: 'allow' | 'deny';
  reason: string;
  stateful: boolean;
  summary: string;
  matches: RuleReportWire[];
  nearest: RuleReportWire[];
}

export type ReachSideWire = 'source-egress' | 'destination-ingress';

export interface ReachabilityWire {
  verdict: 'allow' | 'deny';
  ethertype: 'IPv4' | 'IPv6';
  source_ip: string;
  destination_ip: string;
  egress: ExplanationWire;
  ingress: ExplanationWire;
  blocked_by: ReachSideWire[];
  open_with: { side: ReachSideWire; port_id: string; security_group_id: string; security_group_name: string; rule: RuleSpecWire }[];
  replies_need_rules: boolean;
}

export interface InstanceClassWire {
  id: number;
  instances: string[];
  ports: string[];
}

export interface ReachEdgeWire {
  from: number;
  to: number;
  services: string[];
}

export interface MatrixWire {
  project_id: string;
  services: string[];
  classes: InstanceClassWire[];
  edges: ReachEdgeWire[];
  port_class_count: number;
}

/** The matrix without its classes and edges: the server writes those piece by piece around it. */
export type MatrixHeadWire = Omit<MatrixWire, 'classes' | 'edges'>;

/** One API change in the change log's shape: what-if takes a list of them, and lint proposes them as fixes. */
export interface ProposedChangeWire {
  action: 'create' | 'update' | 'delete';
  resource: 'security_group_rule' | 'security_group' | 'port' | 'address_group';
  id?: string;
  /** For a create or an update: the object's fields as the resource's own API takes them. */
  object?: Record<string, unknown>;
}

export interface FindingWire {
  code: string;
  severity: 'high' | 'medium' | 'low' | 'info';
  security_group_ids: string[];
  security_group_rule_ids: string[];
  /** At most 20 ports, by id; port_count says how many there are. */
  port_ids: string[];
  port_count: number;
  message: string;
  /** Changes that remove the finding (POST them to what-if first), or null when none is safe to propose blindly. */
  fix: ProposedChangeWire[] | null;
}

export interface LintWire {
  project_id: string;
  findings: FindingWire[];
}

/** Services one port gains or loses towards another: labels like `tcp/22`, `tcp/1000-2000`, `icmp/8`, `any other protocol`. */
export interface AccessChangeWire {
  source_port_id: string;
  destination_port_id: string;
  ethertype: 'IPv4' | 'IPv6';
  gained: string[];
  lost: string[];
}

/** On a service of a port, the prefixes ingress newly admits (`gained`) or no longer admits (`lost`). */
export interface ExposureChangeWire {
  port_id: string;
  ethertype: 'IPv4' | 'IPv6';
  /** A service label; `any other protocol` covers the protocols with no entry of their own for this port. */
  service: string;
  gained: string[];
  lost: string[];
}

export interface WhatIfWire {
  project_id: string;
  access: AccessChangeWire[];
  exposure: ExposureChangeWire[];
  findings_added: FindingWire[];
  findings_cleared: FindingWire[];
}
