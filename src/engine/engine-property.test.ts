// The engine against the reference evaluator on random worlds, loaded whole or reached by incremental changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { churnArb, churnWorlds, flowOf, flowSeedArb, worldArb, type FlowSeed, type World } from './engine-arbitraries.test-support.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';
import type { Explanation } from './explain.js';
import type { Port } from '../domain/index.js';
import type { Flow } from './flow.js';
import { referenceEvaluate, referenceMemberPorts } from './reference-evaluator.test-support.js';

/** Total flows checked in a default run; raise it with PALISADE_ENGINE_FLOWS for a longer soak. */
const FLOWS = Number(process.env['PALISADE_ENGINE_FLOWS'] ?? 100_000);
const FLOWS_PER_WORLD = 250;
const WORLDS = Math.ceil(FLOWS / FLOWS_PER_WORLD);
/** Churn runs: a few steps each, flows checked after every step. */
const CHURNS = Math.ceil(WORLDS / 2);
const FLOWS_PER_STEP = 60;

/** Turns the engine's picture of `from` into `to` through the change API, as the change feed would. */
function migrate(engine: PolicyEngine, from: World, to: World): void {
  const keptRules = new Set(to.rules.map((r) => r.id));
  const keptPorts = new Set(to.ports.map((p) => p.id));
  for (const r of from.rules) if (!keptRules.has(r.id)) engine.apply({ kind: 'rule-deleted', ruleId: r.id });
  for (const p of to.ports) engine.apply({ kind: 'port', port: p });
  for (const g of to.groups) engine.apply({ kind: 'group', group: g });
  for (const r of to.rules) engine.apply({ kind: 'rule', rule: r });
  for (const p of from.ports) if (!keptPorts.has(p.id)) engine.apply({ kind: 'port-deleted', portId: p.id });
  const keptAddressGroups = new Set(to.addressGroups.map((g) => g.id));
  for (const g of to.addressGroups) engine.apply({ kind: 'address-group', addressGroup: g });
  for (const g of from.addressGroups) if (!keptAddressGroups.has(g.id)) engine.apply({ kind: 'address-group-deleted', addressGroupId: g.id });
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
function disagreement(engine: PolicyEngine, world: World, seeds: readonly FlowSeed[], formerPorts: readonly Port[] = []): string | null {
  if (world.ports.length === 0) return null;
  for (const seed of seeds) {
    const { portId, flow } = flowOf(world, seed, formerPorts);
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

describe('engine agrees with the reference while ports churn over a fixed address pool', () => {
  it('a port changing groups, leaving them, being deleted and coming back, and address groups changing addresses, step by step', () => {
    const seeds = fc.array(flowSeedArb, { minLength: FLOWS_PER_STEP, maxLength: FLOWS_PER_STEP });
    fc.assert(
      fc.property(churnArb, seeds, (churn, flowSeeds) => {
        const worlds = churnWorlds(churn);
        const engine = createPolicyEngine();
        engine.load(worlds[0]!);
        for (let i = 1; i < worlds.length; i++) {
          migrate(engine, worlds[i - 1]!, worlds[i]!);
          // Flows aimed at remote groups also come from the ports that were members earlier: the ones that left.
          const earlier = worlds.slice(0, i).flatMap((w) => w.ports);
          const found = disagreement(engine, worlds[i]!, flowSeeds, earlier);
          expect(found, `after step ${i}`).toBeNull();
        }
      }),
      { numRuns: CHURNS, endOnFailure: true },
    );
  });
});
