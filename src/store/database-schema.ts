// The SQL schema as Kysely sees it: one table type per table, snake_case columns, booleans as 0/1.
import type { Generated } from 'kysely';

export interface SecurityGroupTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  stateful: number;
  is_default: number;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface DefaultSecurityGroupTable {
  project_id: string;
  security_group_id: string;
}

export interface SecurityGroupTagTable {
  security_group_id: string;
  tag: string;
}

export interface SecurityGroupRuleTable {
  id: string;
  security_group_id: string;
  project_id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  /** remote_ip_prefix without host bits (the wire's normalized_cidr), kept so lists can filter and sort on it. */
  normalized_cidr: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  description: string;
  /** Duplicate identity (§7.4); unique, so concurrent identical creates cannot both commit. */
  identity: string;
  /** The project of the rule's group (a group never changes project): finds rules another project owns in a group. */
  group_project_id: string | null;
  revision_number: number;
  created_at: string;
  updated_at: string;
  /** Palisade's `expires_at`; null: never. */
  expires_at: string | null;
}

export interface NetworkTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  admin_state_up: number;
  port_security_enabled: number;
  shared: number;
  router_external: number;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface SubnetTable {
  id: string;
  project_id: string;
  network_id: string;
  name: string;
  description: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: number;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface PortTable {
  id: string;
  project_id: string;
  network_id: string;
  name: string;
  description: string;
  mac_address: string;
  device_id: string;
  device_owner: string;
  host_id: string;
  /** JSON object text; `'{}'` when the port has no profile. */
  binding_profile: string;
  admin_state_up: number;
  port_security_enabled: number;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface PortFixedIpTable {
  port_id: string;
  network_id: string;
  subnet_id: string;
  ip_address: string;
}

export interface PortSecurityGroupTable {
  port_id: string;
  security_group_id: string;
  position: number;
}

export interface PortAllowedAddressPairTable {
  port_id: string;
  ip_address: string;
  mac_address: string;
  position: number;
}

export interface AddressGroupTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface AddressGroupAddressTable {
  address_group_id: string;
  /** Normalised CIDR. */
  address: string;
}

export interface QuotaTable {
  project_id: string;
  resource: string;
  quota_limit: number;
}

export interface ChangeTable {
  seq: Generated<number>;
  resource: string;
  action: string;
  object_id: string;
  project_id: string;
  object: string | null;
  at: string;
  /** The security group a group or rule record belongs to (history's key); null for other resources. */
  group_id: string | null;
  actor_user_id: string | null;
  actor_user_name: string | null;
  actor_project_id: string | null;
  actor_roles: string | null;
  request_id: string | null;
  source_address: string | null;
}

export interface ScheduledJobTable {
  name: string;
  next_run_at: string;
}

/** Ports of a host using a group (host feeds: group → hosts). */
export interface HostGroupTable {
  host_id: string;
  group_id: string;
  ports: number;
}

/** Rules of the groups a host uses that name a remote of a kind (host feeds: remote → hosts). */
export interface HostRemoteTable {
  host_id: string;
  kind: string;
  remote_id: string;
  rules: number;
}

/** A host feed's records; several may share the seq of the change that caused them (`pos` orders them). */
export interface HostChangeTable {
  host_id: string;
  seq: number;
  pos: number;
  resource: string;
  action: string;
  object_id: string;
  object: string | null;
}

export interface Database {
  security_groups: SecurityGroupTable;
  default_security_groups: DefaultSecurityGroupTable;
  security_group_tags: SecurityGroupTagTable;
  security_group_rules: SecurityGroupRuleTable;
  networks: NetworkTable;
  subnets: SubnetTable;
  ports: PortTable;
  port_fixed_ips: PortFixedIpTable;
  port_security_groups: PortSecurityGroupTable;
  port_allowed_address_pairs: PortAllowedAddressPairTable;
  quotas: QuotaTable;
  changes: ChangeTable;
  host_groups: HostGroupTable;
  host_remotes: HostRemoteTable;
  host_changes: HostChangeTable;
  scheduled_jobs: ScheduledJobTable;
  identity_users: IdentityUserTable;
  identity_projects: IdentityProjectTable;
  identity_role_assignments: IdentityRoleAssignmentTable;
  identity_tokens: IdentityTokenTable;
  identity_signin_attempts: IdentitySignInAttemptTable;
  rbac_policies: RbacPolicyTable;
  address_groups: AddressGroupTable;
  address_group_addresses: AddressGroupAddressTable;
  default_security_group_rules: DefaultSecurityGroupRuleTable;
}

/** A rule template (neutron-api.md §3.4); `remote_group_id` may be `PARENT`. */
export interface DefaultSecurityGroupRuleTable {
  id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  description: string;
  used_in_default_sg: number;
  used_in_non_default_sg: number;
  /** The rule identity (§7.4) of the template, for the duplicate check; not unique. */
  identity: string;
  created_at: string;
}

export interface RbacPolicyTable {
  id: string;
  project_id: string;
  object_type: string;
  object_id: string;
  action: string;
  /** A project id or `*`. */
  target_project: string;
}

export interface IdentityUserTable {
  id: string;
  name: string;
  domain_id: string;
  /** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
  password_hash: string;
  enabled: number;
  created_at: string;
  /** Bumped to revoke every token of the user (tokens carry the value they were issued under). */
  token_epoch: number;
}

/** Failed sign-ins per subject: a user id, or the hash of an unknown name (so both lock alike). */
export interface IdentitySignInAttemptTable {
  subject: string;
  failed_attempts: number;
  locked_until: string | null;
  last_attempt_at: string;
}

export interface IdentityProjectTable {
  id: string;
  name: string;
  domain_id: string;
  description: string;
  enabled: number;
}

export interface IdentityRoleAssignmentTable {
  user_id: string;
  project_id: string;
  role: string;
}

export interface IdentityTokenTable {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  scope_kind: string;
  scope_id: string | null;
  issued_at: string;
  expires_at: string;
  audit_id: string;
  revoked: number;
  /** The user's token_epoch when the token was issued; valid only while they still match. */
  user_epoch: number;
}
