// Tests for quota refusals and usage in plain words (issue 18 defect 10).
import { describe, expect, it } from 'vitest';
import { quotaMessage, usageLines } from './quota-words.js';

describe('quota words', () => {
  it('turns the raw OverQuota message into words, with the limit when usage is known', () => {
    const raw = "Quota exceeded for resources: ['security_group'].";
    expect(quotaMessage(raw)).toBe('Your project has reached its limit: it may have no more security groups. Delete some you no longer need, or ask an administrator to raise the quota.');
    expect(quotaMessage(raw, { security_group: { used: 10, limit: 10 } })).toContain('it may have at most 10 security groups (it has 10)');
    expect(quotaMessage("Quota exceeded for resources: ['port', 'security_group_rule'].")).toContain('no more ports (instance interfaces) and no more security group rules');
    expect(quotaMessage('Security group rule already exists.')).toBeNull();
  });

  it('shows usage per resource', () => {
    const usage = { security_group: { used: 3, limit: 10 }, security_group_rule: { used: 40, limit: -1 } };
    expect(usageLines(usage, ['security_group', 'security_group_rule', 'port'])).toEqual(['3 of 10 security groups', '40 security group rules (no limit)']);
  });
});
