// Incremental upkeep: a change recompiles only the group sets it touches; membership changes recompile nothing.
import { describe, expect, it } from 'vitest';
import { group, port, rule } from './engine-fixtures.test-support.js';
import type { Flow } from './flow.js';
import { compilationsOf, createPolicyEngine } from './policy-engine.js';

const probe: Flow = { direction: 'ingress', etherType: 'IPv4', protocol: 6, remoteIp: '10.0.9.1', port: 22 };

function engine() {
  const e = createPolicyEngine();
  e.load({
    groups: [group('web'), group('db')],
    rules: [rule('ssh', 'web', { direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteGroupId: 'db' })],
    ports: [
      port('w1', { ips: ['10.0.0.1'], groups: ['web'] }),
      port('w2', { ips: ['10.0.0.2'], groups: ['web'] }),
      port('d1', { ips: ['10.0.1.1'], groups: ['db'] }),
    ],
  });
  for (const p of ['w1', 'w2', 'd1']) e.decide(p, probe);
  return e;
}

describe('incremental changes', () => {
  it('compiles one policy per group set, shared by its ports', () => {
    expect(compilationsOf(engine())).toBe(2);
  });

  it('recompiles only the group sets containing the changed rule, on next use', () => {
    const e = engine();
    e.apply({ kind: 'rule', rule: rule('pg', 'db', { direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432 }) });
    for (const p of ['w1', 'w2', 'd1']) e.decide(p, probe);
    expect(compilationsOf(e)).toBe(3);
  });

  it('follows a port joining a remote group without recompiling any policy', () => {
    const e = engine();
    expect(e.decide('w1', probe)).toBe('deny');
    e.apply({ kind: 'port', port: port('d2', { ips: ['10.0.9.1'], groups: ['db'] }) });
    expect(e.decide('w1', probe)).toBe('allow');
    expect(e.decide('w2', probe)).toBe('allow');
    expect(compilationsOf(e)).toBe(2);
  });

  it('moves a port to another group set and back', () => {
    const e = engine();
    e.apply({ kind: 'port', port: port('w1', { ips: ['10.0.0.1'], groups: ['db'] }) });
    expect(e.decide('w1', { ...probe, remoteIp: '10.0.1.1' })).toBe('deny');
    e.apply({ kind: 'port', port: port('w1', { ips: ['10.0.0.1'], groups: ['web'] }) });
    expect(e.decide('w1', { ...probe, remoteIp: '10.0.1.1' })).toBe('allow');
    expect(compilationsOf(e)).toBe(2);
  });
});
