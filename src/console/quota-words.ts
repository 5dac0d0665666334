// Quota refusals and usage in plain words: which limit was hit, how much of each is used.
import type { QuotaUsage } from './neutron-client.js';

const NOUNS: Record<string, [string, string]> = {
  security_group: ['security group', 'security groups'],
  security_group_rule: ['security group rule', 'security group rules'],
  port: ['port (instance interface)', 'ports (instance interfaces)'],
  network: ['network', 'networks'],
  subnet: ['subnet', 'subnets'],
};

function plural(resource: string): string {
  return NOUNS[resource]?.[1] ?? resource.replace(/_/g, ' ');
}

/** The resources an OverQuota message names (`Quota exceeded for resources: ['security_group'].`), or null for another message. */
export function quotaResources(message: string): string[] | null {
  const m = /^Quota exceeded for resources: \[(.*)\]\.?$/.exec(message.trim());
  if (!m) return null;
  return [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!);
}

/** "Your project may have at most 10 security groups, and it has 10." with what to do, or null when the message is no quota refusal. */
export function quotaMessage(message: string, usage?: Readonly<Record<string, QuotaUsage>>): string | null {
  const resources = quotaResources(message);
  if (!resources) return null;
  const parts = resources.map((r) => {
    const u = usage?.[r];
    return u && u.limit >= 0 ? `at most ${u.limit} ${plural(r)} (it has ${u.used})` : `no more ${plural(r)}`;
  });
  return `Your project has reached its limit: it may have ${parts.join(' and ')}. Delete some you no longer need, or ask an administrator to raise the quota.`;
}

/** "3 of 10 security groups" per resource; unlimited ones say so. */
export function usageLines(usage: Readonly<Record<string, QuotaUsage>>, resources: readonly string[]): string[] {
  return resources.filter((r) => usage[r] !== undefined).map((r) => {
    const u = usage[r]!;
    return u.limit < 0 ? `${u.used} ${plural(r)} (no limit)` : `${u.used} of ${u.limit} ${plural(r)}`;
  });
}
