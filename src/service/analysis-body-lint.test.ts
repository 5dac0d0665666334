// Lint and what-if bodies as the worker writes them, in process (the worker's own thread is not measured by coverage).
import { describe, expect, it } from 'vitest';
import { createPolicyEngine } from '../engine/index.js';
import { group, port, rule } from '../engine/engine-fixtures.test-support.js';
import { answerBody } from './analysis-body.js';
import { DEFAULT_ANALYSIS_LIMITS } from './analysis-limits.js';

const NO_BUDGET = { tick() {} };

function engineWith() {
  const engine = createPolicyEngine();
  engine.load({
    groups: [group('web'), group('db')],
    rules: [
      rule('ssh', 'web', { direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 }),
      rule('p1', 'db', { direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 80, portRangeMax: 89, remoteGroupId: 'web' }),
      rule('p2', 'db', { direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 90, portRangeMax: 99, remoteGroupId: 'web' }),
      rule('out', 'web', { direction: 'egress', etherType: 'IPv4', protocol: null }),
    ],
    ports: [port('vm1', { ips: ['10.0.0.1'], groups: ['web'] }), port('vm2', { ips: ['10.0.0.2'], groups: ['db'] })],
  });
  return engine;
}

const json = (body: Uint8Array) => JSON.parse(Buffer.from(body).toString('utf8'));

describe('lint and what-if bodies', () => {
  it('writes findings with their fixes in the change log shape', () => {
    const { lint } = json(answerBody(engineWith(), { kind: 'lint', scope: { projectId: 'p1' } }, DEFAULT_ANALYSIS_LIMITS, NO_BUDGET));
    const merge = lint.findings.find((f: { code: string }) => f.code === 'mergeable-rules');
    expect(merge.fix).toEqual([
      { action: 'delete', resource: 'security_group_rule', id: 'p1' },
      { action: 'delete', resource: 'security_group_rule', id: 'p2' },
      {
        action: 'create', resource: 'security_group_rule',
        object: { security_group_id: 'db', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 99, remote_ip_prefix: null, remote_group_id: 'web', remote_address_group_id: null },
      },
    ]);
    expect(lint.findings.find((f: { code: string }) => f.code === 'open-admin-port')).toMatchObject({ severity: 'high', security_group_rule_ids: ['ssh'], port_ids: ['vm1'] });
  });

  it('writes a what-if with service labels and prefixes', () => {
    const newRule = rule('new', 'db', { direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: '192.0.2.0/24' });
    const changes = [{ kind: 'rule', rule: newRule } as const, { kind: 'rule-deleted', ruleId: 'p2' } as const];
    const { what_if: w } = json(answerBody(engineWith(), { kind: 'what-if', projectId: 'p1', changes }, DEFAULT_ANALYSIS_LIMITS, NO_BUDGET));
    expect(w.access).toEqual([{ source_port_id: 'vm1', destination_port_id: 'vm2', ethertype: 'IPv4', gained: [], lost: ['tcp/90-99'] }]);
    expect(w.exposure).toEqual([{ port_id: 'vm2', ethertype: 'IPv4', service: 'tcp/5432', gained: ['192.0.2.0/24'], lost: [] }]);
    expect(w.findings_cleared.map((f: { code: string }) => f.code)).toEqual(['mergeable-rules']);
  });
});
