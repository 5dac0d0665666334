// The engine against the reference evaluator on random worlds, loaded whole or reached by incremental changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowOf, flowSeedArb, worldArb, type FlowSeed, type World } from './engine-arbitraries.test-support.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';
import type { Explanation } from './explain.js';
import type { Flow } from './flow.js';
import { referenceEvaluate, referenceMemberPorts } from './reference-evaluator.test-support.js';

/** Total flows checked in a default run; raise it with PALISADE_ENGINE_FLOWS for a longer soak. */
const FLOWS = Number(process.env['PALISADE_ENGINE_FLOWS'] ?? 100_000);
const FLOWS_PER_WORLD = 250;
const WORLDS = Math.ceil(FLOWS / FLOWS_PER_WORLD);

/** Turns the engine's picture of `from` into `to` through the change API, as the change feed would. */
function migrate(engine: PolicyEngine, from: World, to: World): void {
  const keptRules = new Set(to.rules.map((r) => r.id));
  const keptPorts = new Set(to.ports.map((p) => p.id));
  for (const r of from.rules) if (!keptRules.has(r.id)) engine.apply({ kind: 'rule-deleted', ruleId: r.id });
  for (const p of to.ports) engine.apply({ kind: 'port', port: p });
  for (const g of to.groups) engine.apply({ kind: 'group', group: g });
  for (const r of to.rules) engine.apply({ kind: 'rule', rule: r });
  for (const p of from.ports) if (!keptPorts.has(p.id)) engine.apply({ kind: 'port-deleted', portId: p.id });
}

/** The first remote-group match whose member evidence differs from the plain scan of the world, or null. */
function evidenceDisagreement(world: World, flow: Flow, x: Explanation): string | null {
  for (const m of x.matches) {
    const members = m.fields.find((f) => f.field === 'remote')?.members;
    if (members === undefined) continue;
    const want = referenceMemberPorts(world, members.groupId, flow.remoteIp);
    const got = members.ports.map((p) => p.portId);
    if (members.count !== want.length || got.join() !== want.slice(0, got.length).join() || got.length !== Math.min(5, want.length)) {
      return JSON.stringify({ rule: m.ruleId, want, got, count: members.count });
    }
  }
  return null;
}

/** Checks every flow; returns a description of the first disagreement, or null. */
function disagreement(engine: PolicyEngine, world: World, seeds: readonly FlowSeed[]): string | null {
  for (const seed of seeds) {
    const { portId, flow } = flowOf(world, seed);
    const want = referenceEvaluate(world, portId, flow);
    const verdict = engine.decide(portId, flow);
    const x = engine.explain(portId, flow);
    const got = x.matches.map((m) => m.ruleId).sort();
    if (verdict !== want.verdict || x.verdict !== verdict || x.reason !== want.reason || got.join() !== want.matches.join()) {
      return JSON.stringify({ portId, flow, want, got: { verdict, reason: x.reason, matches: got } });
    }
    const evidence = evidenceDisagreement(world, flow, x);
    if (evidence !== null) return `${JSON.stringify({ portId, flow })} evidence ${evidence}`;
  }
  return null;
}

let checked = 0;

describe(`engine agrees with the reference evaluator (${WORLDS * FLOWS_PER_WORLD} flows)`, () => {
  it('on verdict, reason, the set of matching rules and their member evidence, whole loads and incremental changes alike', () => {
    const seeds = fc.array(flowSeedArb, { minLength: FLOWS_PER_WORLD, maxLength: FLOWS_PER_WORLD });
    fc.assert(
      fc.property(worldArb, fc.option(worldArb, { freq: 2 }), seeds, (world, before, flowSeeds) => {
        const engine = createPolicyEngine();
        if (before === null) engine.load(world);
        else {
          engine.load(before);
          expect(disagreement(engine, before, flowSeeds.slice(0, 20))).toBeNull();
          migrate(engine, before, world);
        }
        expect(disagreement(engine, world, flowSeeds)).toBeNull();
        checked += flowSeeds.length;
      }),
      { numRuns: WORLDS, endOnFailure: true },
    );
    expect(checked).toBeGreaterThanOrEqual(FLOWS);
  });
});
