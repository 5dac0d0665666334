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
