// The audit's resource names as the console shows them in its filter.

export const CHANGE_RESOURCE_LABELS: Readonly<Record<string, string>> = {
  security_group: 'Security groups',
  security_group_rule: 'Rules',
  port: 'Ports',
  network: 'Networks',
  subnet: 'Subnets',
  rbac_policy: 'Sharing (RBAC)',
  user: 'Users',
  project: 'Projects',
  role_assignment: 'Role assignments',
  token: 'Token revocations',
};
