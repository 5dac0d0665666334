// Rule sets on the wire (/v2.0/palisade/security-groups:apply and …/{id}/rules:apply, …/{id}/copy): the server and the CLI agree here.
import type { RuleSpecWire } from './analysis-wire.js';
import type { SecurityGroupRuleWire } from './neutron-wire.js';

/** A rule of a set: Neutron's rule fields; a remote group by `remote_group_id`, or by `remote_group_name`. */
export interface RuleSetRuleWire {
  direction: 'ingress' | 'egress';
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string | number | null;
  port_range_min?: number | null;
  port_range_max?: number | null;
  remote_ip_prefix?: string | null;
  remote_group_id?: string | null;
  /** A group of the same request, else of the target group's project; exactly one must carry the name. */
  remote_group_name?: string | null;
  remote_address_group_id?: string | null;
  description?: string;
}

/** One group and exactly the rules it should hold: by `id`, else by `name` (created when no group has it). */
export interface RuleSetWire {
  id?: string;
  name?: string;
  description?: string;
  security_group_rules: RuleSetRuleWire[];
}

export interface RuleSetApplyRequestWire {
  security_groups: RuleSetWire[];
  /** Plan, validate and check quotas, then roll back (default false). */
  dry_run?: boolean;
}

export interface RuleSetOutcomeWire {
  /** null for a group a dry run would create. */
  id: string | null;
  name: string;
  action: 'create' | 'update' | 'unchanged';
  /** `remote_group_name` when the remote group is one of the request's groups. */
  created: (RuleSpecWire & { remote_group_name?: string })[];
  deleted: SecurityGroupRuleWire[];
  unchanged: SecurityGroupRuleWire[];
}

export interface RuleSetApplyResponseWire {
  dry_run: boolean;
  security_groups: RuleSetOutcomeWire[];
}
