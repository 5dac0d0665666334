// An import's dry run as what-if changes: only existing groups count, and what cannot be named is listed.
import { describe, expect, it } from 'vitest';
import type { RuleSetOutcomeWire, SecurityGroupRuleWire } from '../contract/index.js';
import { importWhatIfPlan, whatIfRows } from './import-what-if.js';

const spec = { direction: 'ingress' as const, ethertype: 'IPv4' as const, protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: null, normalized_cidr: null, remote_group_id: null, remote_address_group_id: null, description: '' };
const { normalized_cidr: _n, ...bare } = spec;
const outcome = (o: Partial<RuleSetOutcomeWire>): RuleSetOutcomeWire => ({ id: 'g1', name: 'web', action: 'update', created: [], deleted: [], unchanged: [], ...o });

describe('importWhatIfPlan', () => {
  it('turns deletes and creates of existing groups into what-if changes, in that order', () => {
    const plan = importWhatIfPlan([outcome({ created: [spec], deleted: [{ id: 'r9' } as SecurityGroupRuleWire] })]);
    expect(plan.changes).toEqual([
      { action: 'delete', resource: 'security_group_rule', id: 'r9' },
      { action: 'create', resource: 'security_group_rule', object: { ...bare, security_group_id: 'g1' } },
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('leaves out groups the import creates, and lists rules naming a group it would create', () => {
    const plan = importWhatIfPlan([
      outcome({ id: null, name: 'new', action: 'create', created: [spec] }),
      outcome({ created: [{ ...spec, remote_group_name: 'new' }, { ...spec, remote_group_name: 'web', remote_group_id: 'g1' }] }),
    ]);
    expect(plan.changes).toEqual([{ action: 'create', resource: 'security_group_rule', object: { ...bare, remote_group_id: 'g1', security_group_id: 'g1' } }]);
    expect(plan.skipped).toEqual(['group web: a rule naming new, a group the import would create']);
  });
});

describe('whatIfRows', () => {
  it('one row per gained or lost access and exposure, and per finding added or cleared', () => {
    const finding = { code: 'open-admin-port', severity: 'high' as const, security_group_ids: [], security_group_rule_ids: [], port_ids: [], port_count: 0, message: 'ssh open', fix: null };
    expect(whatIfRows({
      project_id: 'p',
      access: [{ source_port_id: 'a', destination_port_id: 'b', ethertype: 'IPv4', gained: ['tcp/22'], lost: ['tcp/80'] }],
      exposure: [{ port_id: 'b', ethertype: 'IPv6', service: 'tcp/22', gained: [], lost: ['::/0'] }],
      findings_added: [finding],
      findings_cleared: [],
    })).toEqual([
      ['gains', 'a → b', 'IPv4', 'tcp/22'],
      ['loses', 'a → b', 'IPv4', 'tcp/80'],
      ['unexposed', 'b tcp/22', 'IPv6', 'from ::/0'],
      ['new finding', 'open-admin-port', 'high', 'ssh open'],
    ]);
  });
});
