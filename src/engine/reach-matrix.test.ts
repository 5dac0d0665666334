// matrix(): instances grouped into classes, reach edges per service, and agreement with a port-by-port check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { worldArb } from './engine-arbitraries.test-support.js';
import { group, port, rule } from './engine-fixtures.test-support.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';
import type { Port } from '../domain/index.js';
import type { Flow } from './flow.js';
import type { MatrixService } from './reach-matrix.js';
import { referenceEvaluate, type ReferenceWorld } from './reference-evaluator.test-support.js';

/** Three web instances open on tcp:80 to anyone, two databases open on 5432 to web. */
function webAndDb(): PolicyEngine {
  const e = createPolicyEngine();
  e.load({
    groups: [group('web'), group('db')],
    rules: [
      rule('w-out', 'web', { direction: 'egress' }),
      rule('d-out', 'db', { direction: 'egress' }),
      rule('w-80', 'web', { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 }),
      rule('d-5432', 'db', { direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: 'web' }),
    ],
    ports: [
      ...[1, 2, 3].map((i) => port(`w${i}`, { ips: [`10.0.0.${i}`], groups: ['web'], deviceId: `web-${i}` })),
      ...[1, 2].map((i) => port(`d${i}`, { ips: [`10.0.1.${i}`], groups: ['db'], deviceId: `db-${i}` })),
      port('other', { ips: ['10.0.2.1'], groups: ['web'], projectId: 'p2' }),
    ],
  });
  return e;
}

describe('matrix', () => {
  it('groups like instances and lists who reaches whom on which service', () => {
    const e = webAndDb();
    const m = e.matrix('p1', [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 5432, name: 'postgres' }]);
    expect(m.services).toEqual(['tcp/80', 'postgres']);
    expect(m.portClassCount).toBe(2);
    const id = (instance: string) => m.classes.find((c) => c.instances.includes(instance))!.id;
    expect(m.classes.map((c) => c.instances)).toEqual([['db-1', 'db-2'], ['web-1', 'web-2', 'web-3']]);
    expect(m.edges).toEqual([
      { from: id('db-1'), to: id('web-1'), services: ['tcp/80'] },
      { from: id('web-1'), to: id('db-1'), services: ['postgres'] },
      { from: id('web-1'), to: id('web-2'), services: ['tcp/80'] },
    ]);
  });

  it('refuses an answer with more edges than maxEdges, saying how to narrow the question', () => {
    const e = webAndDb();
    expect(e.matrix('p1', [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 5432 }], { maxEdges: 3 }).edges).toHaveLength(3);
    expect(() => e.matrix('p1', [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 5432 }], { maxEdges: 2 })).toThrow(
      expect.objectContaining({ code: 'AnalysisTooLarge', message: expect.stringMatching(/more than 2 edges \(analysis_max_edges\)\. Narrow the question/) }),
    );
  });
});

/** Protocol numbers and the ICMP echo request written out here, so the expected answer owes nothing to the engine's parsing. */
function referenceFlow(s: MatrixService, etherType: 'IPv4' | 'IPv6', from: string, to: string): Flow {
  const v4 = etherType === 'IPv4';
  const out = { direction: 'egress' as const, etherType, remoteIp: to, localIp: from };
  if (s.protocol === 'icmp') return { ...out, protocol: v4 ? 1 : 58, icmpType: v4 ? 8 : 128, icmpCode: 0 };
  const numbers: Record<string, number> = { tcp: 6, udp: 17, gre: 47 };
  const protocol = numbers[String(s.protocol)];
  if (protocol === undefined) throw new Error(`no reference number for ${String(s.protocol)}`);
  return s.port === undefined ? { ...out, protocol } : { ...out, protocol, port: s.port };
}

/** The first fixed IP of the version: the address a port sends from and is reached at. */
function firstAddress(p: Port, v4: boolean): string | undefined {
  return p.fixedIps.map((f) => f.ipAddress).find((ip) => ip.includes(':') !== v4);
}

/**
 * Instance a reaches instance b on the service: some port of a sends (egress) and some port of b takes it
 * (ingress), asked of the reference evaluator pair by pair. A pair without addresses of one IP version
 * cannot talk over it.
 */
function bruteForce(world: ReferenceWorld, a: string, b: string, s: MatrixService): boolean {
  const ports = world.ports.filter((p) => !p.deviceOwner.startsWith('network:'));
  for (const p of ports.filter((x) => x.deviceId === a)) {
    for (const q of ports.filter((x) => x.deviceId === b)) {
      if (p.id === q.id) continue;
      for (const etherType of ['IPv4', 'IPv6'] as const) {
        const from = firstAddress(p, etherType === 'IPv4');
        const to = firstAddress(q, etherType === 'IPv4');
        if (from === undefined || to === undefined) continue;
        const out = referenceFlow(s, etherType, from, to);
        const into: Flow = { ...out, direction: 'ingress', remoteIp: from, localIp: to };
        if (referenceEvaluate(world, p.id, out).verdict === 'allow' && referenceEvaluate(world, q.id, into).verdict === 'allow') return true;
      }
    }
  }
  return false;
}

describe('matrix agrees with a pair-by-pair check', () => {
  it('on random worlds', () => {
    const services: MatrixService[] = [{ protocol: 'tcp', port: 22 }, { protocol: 'udp', port: 53 }, { protocol: 'icmp' }, { protocol: 'gre' }];
    fc.assert(
      fc.property(worldArb, fc.array(fc.nat(2), { minLength: 6, maxLength: 6 }), (world, devices) => {
        const ports = world.ports.map((p, i) => ({ ...p, deviceId: `vm${devices[i]}` }));
        const e = createPolicyEngine();
        e.load({ ...world, ports });
        const m = e.matrix('p1', services);
        const instances = [...new Set(ports.filter((p) => !p.deviceOwner.startsWith('network:')).map((p) => p.deviceId))];
        const classOf = (d: string) => m.classes.find((c) => c.instances.includes(d))!.id;
        for (const a of instances) {
          for (const b of instances) {
            if (a === b) continue;
            const edge = m.edges.find((x) => x.from === classOf(a) && x.to === classOf(b));
            services.forEach((s, i) => expect(edge?.services.includes(m.services[i]!) ?? false).toBe(bruteForce({ rules: world.rules, ports, addressGroups: world.addressGroups }, a, b, s)));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
