// The policy engine's public face: load a snapshot, apply changes, decide, explain, and analyse reachability.
import type { AddressGroup, Port, SecurityGroup, SecurityGroupRule } from '../domain/index.js';
import { reasonFor } from './decide.js';
import { effectivePolicyOf, type EffectivePolicy } from './effective-rules.js';
import { EngineState } from './engine-state.js';
import { explainFlow, type Explanation } from './explain.js';
import { newParsedFlow, parseFlowInto, type Flow } from './flow.js';
import { lintOf, type Finding, type LintScope } from './lint.js';
import { reachMatrixOf, type MatrixOptions, type MatrixService, type ReachMatrix } from './reach-matrix.js';
import { reachabilityOf, type Reachability, type ServiceSpec } from './reachability.js';
import { isAllowing, type Verdict } from './verdict.js';
import { whatIfOf, type WhatIf } from './what-if.js';
import type { WorkBudget } from './work-budget.js';

export interface PolicySnapshot {
  readonly groups: readonly SecurityGroup[];
  readonly rules: readonly SecurityGroupRule[];
  readonly ports: readonly Port[];
  /** Address groups that rules may name as remote; absent means none. */
  readonly addressGroups?: readonly AddressGroup[];
}

/** One change, as the service's change feed reports it. */
export type PolicyChange =
  | { readonly kind: 'group'; readonly group: SecurityGroup }
  | { readonly kind: 'group-deleted'; readonly groupId: string }
  | { readonly kind: 'rule'; readonly rule: SecurityGroupRule }
  | { readonly kind: 'rule-deleted'; readonly ruleId: string }
  | { readonly kind: 'port'; readonly port: Port }
  | { readonly kind: 'port-deleted'; readonly portId: string }
  | { readonly kind: 'address-group'; readonly addressGroup: AddressGroup }
  | { readonly kind: 'address-group-deleted'; readonly addressGroupId: string };

export interface PolicyEngine {
  /** Replaces everything the engine knows. */
  load(snapshot: PolicySnapshot): void;
  /** Applies one change; only the ports whose policy it touches are recompiled (lazily, on their next use). */
  apply(change: PolicyChange): void;
  /** The verdict for a flow at a port. Throws NotFoundError (PortNotFound) or InvalidInputError. */
  decide(portId: string, flow: Flow): Verdict;
  explain(portId: string, flow: Flow): Explanation;
  effectiveRules(portId: string): EffectivePolicy;
  /** Source port's egress and destination port's ingress for a service between their first fixed IPs. */
  reachability(sourcePortId: string, destinationPortId: string, service: ServiceSpec): Reachability;
  /** Which instances of a project reach which, on each service (OverLimitError past `maxPorts`, or from the budget). */
  matrix(projectId: string, services: readonly MatrixService[], options?: MatrixOptions): ReachMatrix;
  /** What is wrong with a project's rules (or one group's, or one port's groups'). */
  lint(scope: LintScope, options?: { readonly budget?: WorkBudget }): Finding[];
  /** The difference the changes would make in a project; the engine is left as it was. */
  whatIf(projectId: string, changes: readonly PolicyChange[], options?: { readonly budget?: WorkBudget }): WhatIf;
}

class Engine implements PolicyEngine {
  #state = new EngineState();
  readonly #scratch = newParsedFlow();

  load(snapshot: PolicySnapshot): void {
    const state = new EngineState();
    for (const g of snapshot.groups) state.upsertGroup(g);
    for (const ag of snapshot.addressGroups ?? []) state.upsertAddressGroup(ag);
    for (const r of snapshot.rules) state.upsertRule(r);
    for (const p of snapshot.ports) state.upsertPort(p);
    this.#state = state;
  }

  apply(change: PolicyChange): void {
    const state = this.#state;
    switch (change.kind) {
      case 'group': return state.upsertGroup(change.group);
      case 'group-deleted': return state.deleteGroup(change.groupId);
      case 'rule': return state.upsertRule(change.rule);
      case 'rule-deleted': return state.deleteRule(change.ruleId);
      case 'port': return state.upsertPort(change.port);
      case 'port-deleted': return state.deletePort(change.portId);
      case 'address-group': return state.upsertAddressGroup(change.addressGroup);
      case 'address-group-deleted': return state.deleteAddressGroup(change.addressGroupId);
    }
  }

  decide(portId: string, flow: Flow): Verdict {
    const entry = this.#state.entryOf(portId);
    return isAllowing(reasonFor(this.#state, entry, parseFlowInto(flow, this.#scratch))) ? 'allow' : 'deny';
  }

  explain(portId: string, flow: Flow): Explanation {
    const entry = this.#state.entryOf(portId);
    return explainFlow(this.#state, entry, flow, parseFlowInto(flow, newParsedFlow()));
  }

  effectiveRules(portId: string): EffectivePolicy {
    return effectivePolicyOf(this.#state, this.#state.entryOf(portId));
  }

  reachability(sourcePortId: string, destinationPortId: string, service: ServiceSpec): Reachability {
    return reachabilityOf(this.#state, this.#state.entryOf(sourcePortId), this.#state.entryOf(destinationPortId), service);
  }

  matrix(projectId: string, services: readonly MatrixService[], options: MatrixOptions = {}): ReachMatrix {
    return reachMatrixOf(this.#state, projectId, services, options);
  }

  lint(scope: LintScope, options: { readonly budget?: WorkBudget } = {}): Finding[] {
    return lintOf(this.#state, scope, options.budget);
  }

  whatIf(projectId: string, changes: readonly PolicyChange[], options: { readonly budget?: WorkBudget } = {}): WhatIf {
    return whatIfOf(this.#state, projectId, changes, options.budget);
  }

  /** Policies compiled so far (tests use it to check that changes recompile only what they touch). */
  get compilations(): number {
    return this.#state.compilations;
  }
}

export function createPolicyEngine(): PolicyEngine {
  return new Engine();
}

/** Policies compiled by an engine so far; for tests and benchmarks. */
export function compilationsOf(engine: PolicyEngine): number {
  return engine instanceof Engine ? engine.compilations : 0;
}
