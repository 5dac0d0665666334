// What-if against actually applying the changes: the same access and exposure differences, on random projects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, tryParseCidr, tryParseIpAddress } from '../contract/index.js';
import type { Port } from '../domain/index.js';
import { GROUP_IDS, worldArb, type World } from './engine-arbitraries.test-support.js';
import type { Flow } from './flow.js';
import { createPolicyEngine, type PolicyChange, type PolicyEngine } from './policy-engine.js';
import { hasService } from './service-set.js';
import type { WhatIf } from './what-if.js';

/** Random projects in a default run; raise it with PALISADE_WHATIF_RUNS for a longer soak. */
const RUNS = Number(process.env['PALISADE_WHATIF_RUNS'] ?? 100);
const SERVICES: readonly (readonly [number, number])[] = [
  ...[0, 1, 21, 22, 23, 53, 67, 68, 80, 443, 546, 547, 1024, 65535].flatMap((k) => [[6, k], [17, k], [132, k]] as const),
  ...[0, 3, 8, 128, 130, 134, 135].flatMap((t) => [[1, t * 256], [58, t * 256], [58, t * 256 + 4]] as const),
  [47, 0], [33, 80], [0, 0], [2, 0],
];
const EXTERNAL = ['10.0.0.1', '10.0.0.6', '10.0.1.200', '192.0.2.1', '172.16.0.1', '2001:db8::1', '2001:db8::7', '2001:db9::1', 'fe80::1'];

function loaded(world: World): PolicyEngine {
  const engine = createPolicyEngine();
  engine.load(world);
  return engine;
}

const changeArb = fc.record({
  kind: fc.constantFrom('add', 'add', 'delete', 'delete', 'port', 'group'),
  pick: fc.nat(),
  groups: fc.subarray(GROUP_IDS, { maxLength: 3 }),
  group: fc.constantFrom(...GROUP_IDS),
});

/** The changes (as the engine takes them) and the world they lead to, built the plain way: the store's cascade on group delete. */
function changed(world: World, donor: World, seeds: readonly (typeof changeArb extends fc.Arbitrary<infer T> ? T : never)[]): { changes: PolicyChange[]; after: World } {
  let after = world;
  const changes: PolicyChange[] = [];
  seeds.forEach((s, i) => {
    if (s.kind === 'add' && donor.rules.length > 0) {
      const rule = { ...donor.rules[s.pick % donor.rules.length]!, id: `new${i}`, securityGroupId: s.group };
      changes.push({ kind: 'rule', rule });
      after = { ...after, rules: [...after.rules, rule] };
    } else if (s.kind === 'delete' && after.rules.length > 0) {
      const id = after.rules[s.pick % after.rules.length]!.id;
      changes.push({ kind: 'rule-deleted', ruleId: id });
      after = { ...after, rules: after.rules.filter((r) => r.id !== id) };
    } else if (s.kind === 'port' && after.ports.length > 0) {
      const p = after.ports[s.pick % after.ports.length]!;
      if (!p.portSecurityEnabled) return;
      const port: Port = { ...p, securityGroupIds: s.groups };
      changes.push({ kind: 'port', port });
      after = { ...after, ports: after.ports.map((q) => (q.id === p.id ? port : q)) };
    } else if (s.kind === 'group') {
      changes.push({ kind: 'group-deleted', groupId: s.group });
      after = { ...after, groups: after.groups.filter((g) => g.id !== s.group), rules: after.rules.filter((r) => r.securityGroupId !== s.group && r.remoteGroupId !== s.group) };
    }
  });
  return { changes, after };
}

function firstIp(p: Port, v6: boolean): string | undefined {
  return p.fixedIps.map((f) => f.ipAddress).find((a) => !a.includes('/') && a.includes(':') === v6);
}

function flow(direction: 'ingress' | 'egress', v6: boolean, protocol: number, key: number, remoteIp: string): Flow {
  const icmp = protocol === 1 || protocol === 58;
  return { direction, etherType: v6 ? 'IPv6' : 'IPv4', protocol, remoteIp, ...(icmp ? { icmpType: key >> 8, icmpCode: key & 255 } : { port: key }) };
}

/** The first disagreement between the what-if and the two engines, or null. */
function disagreement(result: WhatIf, world: World, before: PolicyEngine, after: PolicyEngine): string | null {
  const instances = world.ports.filter((p) => p.deviceId !== '' && !p.deviceOwner.startsWith('network:'));
  for (const x of instances) {
    for (const y of instances) {
      if (x === y) continue;
      for (const v6 of [false, true]) {
        const [a, b] = [firstIp(x, v6), firstIp(y, v6)];
        if (a === undefined || b === undefined) continue;
        const entry = result.access.find((c) => c.from === x.id && c.to === y.id && c.etherType === (v6 ? 'IPv6' : 'IPv4'));
        for (const [protocol, key] of SERVICES) {
          const reach = (e: PolicyEngine) => e.decide(x.id, flow('egress', v6, protocol, key, b)) === 'allow' && e.decide(y.id, flow('ingress', v6, protocol, key, a)) === 'allow';
          const [was, now] = [reach(before), reach(after)];
          const gained = entry !== undefined && hasService(entry.gained, protocol, key);
          const lost = entry !== undefined && hasService(entry.lost, protocol, key);
          if (gained !== (now && !was) || lost !== (was && !now)) return JSON.stringify({ from: x.id, to: y.id, v6, protocol, key, was, now, gained, lost });
        }
      }
    }
  }
  return null;
}

/** Exposure: for an address no port holds, what ingress admits from it is what prefix and any-remote rules admit. */
function exposureDisagreement(result: WhatIf, world: World, before: PolicyEngine, after: PolicyEngine): string | null {
  const held = new Set(world.ports.flatMap((p) => [...p.fixedIps.map((f) => f.ipAddress), ...p.allowedAddressPairs.map((q) => q.ipAddress)]));
  const outside = EXTERNAL.filter((a) => ![...held].some((h) => { const c = tryParseCidr(h); const ip = tryParseIpAddress(a); return c !== null && ip !== null && cidrContains(c, ip); }));
  for (const x of world.ports.filter((p) => p.deviceId !== '' && !p.deviceOwner.startsWith('network:'))) {
    for (const address of outside) {
      const v6 = address.includes(':');
      for (const [protocol, key] of SERVICES) {
        const f = flow('ingress', v6, protocol, key, address);
        const was = before.decide(x.id, f) === 'allow';
        const now = after.decide(x.id, f) === 'allow';
        const ip = tryParseIpAddress(address)!;
        const pieces = result.exposure.filter((e) => e.portId === x.id && e.etherType === (v6 ? 'IPv6' : 'IPv4') && (e.protocol === protocol || e.protocol === null) && e.keyLo <= key && e.keyHi >= key);
        const piece = pieces.find((e) => e.protocol === protocol) ?? pieces.find((e) => e.protocol === null);
        const holds = (list: readonly string[] | undefined) => (list ?? []).some((c) => cidrContains(tryParseCidr(c)!, ip));
        if (holds(piece?.gained) !== (now && !was) || holds(piece?.lost) !== (was && !now)) return JSON.stringify({ port: x.id, address, protocol, key, was, now, piece });
      }
    }
  }
  return null;
}

describe('what-if', () => {
  it('equals the difference between the project before and after the changes are applied', () => {
    fc.assert(
      fc.property(worldArb, worldArb, fc.array(changeArb, { minLength: 1, maxLength: 3 }), (world, donor, seeds) => {
        const { changes, after } = changed(world, donor, seeds);
        const engine = loaded(world);
        const result = engine.whatIf('p1', changes);
        const [b, a] = [loaded(world), loaded(after)];
        const problem = disagreement(result, world, b, a) ?? exposureDisagreement(result, world, b, a);
        if (problem !== null) expect.fail(`${JSON.stringify(changes.map((c) => c.kind))}: ${problem}`);
        // Nothing was kept: the engine still decides as the world before.
        for (const p of world.ports) for (const [protocol, key] of SERVICES.slice(0, 12)) {
          expect(engine.decide(p.id, flow('ingress', false, protocol, key, '10.0.0.1'))).toBe(b.decide(p.id, flow('ingress', false, protocol, key, '10.0.0.1')));
        }
      }),
      { numRuns: RUNS, seed: 18 },
    );
  }, 60_000 + RUNS * 1_000);
});
