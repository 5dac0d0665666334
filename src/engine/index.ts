// Public surface of the engine layer: the policy engine and the types of its questions and answers.
export { createPolicyEngine } from './policy-engine.js';
export type { PolicyEngine, PolicySnapshot, PolicyChange } from './policy-engine.js';
export type { Flow } from './flow.js';
export type { Verdict, VerdictReason } from './verdict.js';
export type { Explanation, RuleReport } from './explain.js';
export type { FieldCheck, RuleField } from './rule-fields.js';
export type { MemberPort, MemberVia, RemoteMembers } from './member-evidence.js';
export type { EffectivePolicy, EffectiveRule, RuleOrigin } from './effective-rules.js';
export type { Reachability, ServiceSpec, BlockingSide, OpeningRule } from './reachability.js';
export type { ReachMatrix, MatrixService, MatrixOptions, InstanceClass, ReachEdge } from './reach-matrix.js';
export { MAX_SERVICES } from './reach-matrix.js';
export type { WorkBudget } from './work-budget.js';
export type { Finding, FindingCode, LintScope, ProposedChange, Severity } from './lint.js';
export { ruleLabel } from './lint.js';
export type { WhatIf, AccessChange, ExposureChange } from './what-if.js';
export type { ServiceSet } from './service-set.js';
export { setLabels, keysLabel, hasService } from './service-set.js';
