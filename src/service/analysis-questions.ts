// The questions the analysis worker answers, and how an engine answers one within the limits.
import { OverLimitError } from '../domain/index.js';
import type { Flow, MatrixService, PolicyEngine, ServiceSpec, WorkBudget } from '../engine/index.js';
import type { AnalysisLimits } from './analysis-limits.js';

export type AnalysisQuestion =
  | { readonly kind: 'effective-rules'; readonly portId: string }
  | { readonly kind: 'explain'; readonly portId: string; readonly flow: Flow }
  | { readonly kind: 'reachability'; readonly from: string; readonly to: string; readonly service: ServiceSpec }
  | { readonly kind: 'matrix'; readonly projectId: string; readonly services: readonly MatrixService[] };

/** Asks the engine a question once it holds every change up to `seq`; answers arrive as plain data. */
export interface AnalysisRunner {
  ask(question: AnalysisQuestion, seq: number): Promise<unknown>;
  close(): Promise<void>;
}

/** A budget that throws AnalysisTimeLimitExceeded once `ms` have passed since it was made. */
export function deadlineBudget(ms: number, now: () => number): WorkBudget {
  const deadline = now() + ms;
  return {
    tick() {
      if (now() > deadline) throw new OverLimitError('AnalysisTimeLimitExceeded', `The analysis ran longer than ${ms} ms (analysis_timeout_ms) and was stopped; ask about fewer services or a smaller project.`);
    },
  };
}

export function answer(engine: PolicyEngine, q: AnalysisQuestion, limits: AnalysisLimits, budget: WorkBudget): unknown {
  switch (q.kind) {
    case 'effective-rules': return engine.effectiveRules(q.portId);
    case 'explain': return engine.explain(q.portId, q.flow);
    case 'reachability': return engine.reachability(q.from, q.to, q.service);
    case 'matrix': return engine.matrix(q.projectId, q.services, { budget, maxPorts: limits.maxPorts });
  }
}
