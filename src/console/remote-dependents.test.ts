// Tests for the rules a group deletion takes with it (issue 18 defect 6).
import { describe, expect, it } from 'vitest';
import type { SecurityGroupRuleWire } from '../contract/index.js';
import { dependentRules, dependentRulesSentence } from './remote-dependents.js';

const rule = (id: string, group: string, remote: string) => ({ id, security_group_id: group, remote_group_id: remote }) as SecurityGroupRuleWire;

describe('dependentRules', () => {
  it("lists other groups' rules that name the group as remote, not the group's own", () => {
    const found = dependentRules([rule('r1', 'web', 'db'), rule('r2', 'db', 'db'), rule('r3', 'app', 'db'), rule('r4', 'app', 'other')], 'db');
    expect(found.map((r) => r.id)).toEqual(['r3', 'r1']);
    expect(dependentRulesSentence(found)).toBe('2 rules of 2 other groups name it as remote and are deleted with it:');
    expect(dependentRulesSentence([found[0]!])).toBe('1 rule of another group names it as remote and is deleted with it:');
    expect(dependentRulesSentence([])).toBe('No rule of another group names it as remote.');
  });
});
