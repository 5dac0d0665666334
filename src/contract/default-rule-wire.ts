// `/v2.0/default-security-group-rules`: a rule template as the wire shows it (neutron-api.md §3.4).
import type { SecurityGroupRuleWire } from './neutron-wire.js';

/** A rule's own attributes (`remote_group_id` may be `PARENT`) and where it is used; no project, revision or timestamps. */
export type DefaultSecurityGroupRuleWire = Pick<
  SecurityGroupRuleWire,
  | 'id' | 'direction' | 'ethertype' | 'protocol' | 'port_range_min' | 'port_range_max' | 'remote_ip_prefix' | 'remote_group_id'
  | 'remote_address_group_id' | 'description'
> & {
  used_in_default_sg: boolean;
  used_in_non_default_sg: boolean;
};
