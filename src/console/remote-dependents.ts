// Rules of other groups that name a group as their remote: deleting the group deletes them too, so the dialog lists them.
import type { SecurityGroupRuleWire } from '../contract/index.js';

/** The rules (from GET security-group-rules?remote_group_id=X) that belong to groups other than X, grouped by their group. */
export function dependentRules(rules: readonly SecurityGroupRuleWire[], groupId: string): SecurityGroupRuleWire[] {
  return rules.filter((r) => r.remote_group_id === groupId && r.security_group_id !== groupId)
    .sort((a, b) => (a.security_group_id < b.security_group_id ? -1 : a.security_group_id > b.security_group_id ? 1 : 0));
}

/** The dialog's sentence about them. */
export function dependentRulesSentence(rules: readonly SecurityGroupRuleWire[]): string {
  if (rules.length === 0) return 'No rule of another group names it as remote.';
  const groups = new Set(rules.map((r) => r.security_group_id)).size;
  const owners = groups === 1 ? 'another group' : `${groups} other groups`;
  return rules.length === 1
    ? `1 rule of ${owners} names it as remote and is deleted with it:`
    : `${rules.length} rules of ${owners} name it as remote and are deleted with it:`;
}
