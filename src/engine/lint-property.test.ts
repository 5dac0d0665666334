// Applying the fix of any redundant-rule, shadowed-on-port or mergeable-rules finding changes no decision of the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowOf, flowSeedArb, worldArb, type World } from './engine-arbitraries.test-support.js';
import { rule } from './engine-fixtures.test-support.js';
import type { Finding, ProposedChange } from './lint.js';
import { createPolicyEngine, type PolicyChange, type PolicyEngine } from './policy-engine.js';

/** Flows checked in a default run, summed over every fix; raise it with PALISADE_LINT_FLOWS for a longer soak. */
const FLOWS = Number(process.env['PALISADE_LINT_FLOWS'] ?? 100_000);
const FLOWS_PER_FIX = 100;
const SAFE_CODES = new Set(['redundant-rule', 'shadowed-on-port', 'mergeable-rules']);

function loaded(world: World): PolicyEngine {
  const engine = createPolicyEngine();
  engine.load(world);
  return engine;
}

/** The fix as engine changes; a created rule goes through the domain's validation like an API call would. */
function changesOf(fix: readonly ProposedChange[], n: number): PolicyChange[] {
  return fix.map((c, i) => {
    if (c.action === 'delete') return c.resource === 'security_group' ? { kind: 'group-deleted', groupId: c.id } : { kind: 'rule-deleted', ruleId: c.id };
    return { kind: 'rule', rule: rule(`fix-${n}-${i}`, c.rule.securityGroupId, c.rule) };
  });
}

describe('lint fixes', () => {
  it(`change no decision, on ${FLOWS} random flows in all`, () => {
    const seen = new Map<string, number>();
    let flows = 0;
    let fixes = 0;
    const arb = fc.tuple(worldArb, fc.array(flowSeedArb, { minLength: FLOWS_PER_FIX, maxLength: FLOWS_PER_FIX }));
    for (let batch = 0; flows < FLOWS && batch < 200; batch++) for (const [world, seeds] of fc.sample(arb, { numRuns: 50, seed: 16 + batch })) {
      if (flows >= FLOWS) break;
      const before = loaded(world);
      // At most two fixes per code and world: more worlds, so the rarer codes are met often too.
      const all = before.lint({ projectId: 'p1' }).filter((f) => SAFE_CODES.has(f.code));
      const findings: Finding[] = [...SAFE_CODES].flatMap((code) => all.filter((f) => f.code === code).slice(0, 2));
      if (findings.length === 0) continue;
      const checks = seeds.map((seed) => flowOf(world, seed)).map(({ portId, flow }) => ({ portId, flow, want: before.decide(portId, flow) }));
      for (const f of findings) {
        seen.set(f.code, (seen.get(f.code) ?? 0) + 1);
        const after = loaded(world);
        for (const c of changesOf(f.fix!, fixes++)) after.apply(c);
        for (const { portId, flow, want } of checks) {
          if (after.decide(portId, flow) !== want) expect.fail(`${f.code} ${f.message}: ${JSON.stringify({ portId, flow, want })}`);
          flows++;
        }
      }
    }
    expect(flows).toBeGreaterThanOrEqual(FLOWS);
    // Every code had fixes to check, many times over.
    for (const code of SAFE_CODES) expect(seen.get(code) ?? 0).toBeGreaterThan(20);
  });

  it('all redundant-rule fixes of one lint, applied together, change no decision', () => {
    fc.assert(
      fc.property(worldArb, fc.array(flowSeedArb, { minLength: 200, maxLength: 200 }), (world, seeds) => {
        const before = loaded(world);
        const after = loaded(world);
        for (const f of before.lint({ projectId: 'p1' })) if (f.code === 'redundant-rule') for (const c of changesOf(f.fix!, 0)) after.apply(c);
        for (const seed of seeds) {
          const { portId, flow } = flowOf(world, seed);
          expect(after.decide(portId, flow)).toBe(before.decide(portId, flow));
        }
      }),
      { numRuns: 150, seed: 17 },
    );
  });
});
