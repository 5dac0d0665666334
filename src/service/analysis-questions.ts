// The questions the analysis worker answers, and the time budget it answers them within.
import { OverLimitError } from '../domain/index.js';
import type { Flow, LintScope, MatrixService, PolicyChange, ServiceSpec, WorkBudget } from '../engine/index.js';

/** Who asks: membership evidence names only the ports this asker could read (evidence-visibility.ts). */
export interface Asker {
  readonly projectId: string;
  readonly isAdmin: boolean;
}

export type AnalysisQuestion =
  | { readonly kind: 'effective-rules'; readonly portId: string }
  | { readonly kind: 'explain'; readonly portId: string; readonly flow: Flow; readonly asker: Asker }
  | { readonly kind: 'reachability'; readonly from: string; readonly to: string; readonly service: ServiceSpec; readonly asker: Asker }
  | { readonly kind: 'matrix'; readonly projectId: string; readonly services: readonly MatrixService[] }
  | { readonly kind: 'lint'; readonly scope: LintScope }
  /** Changes already checked by the service as the API would check them; none is applied. */
  | { readonly kind: 'what-if'; readonly projectId: string; readonly changes: readonly PolicyChange[] };

/** Asks the engine a question once it holds every change up to `seq`; the answer is its response body, JSON as UTF-8 bytes. */
export interface AnalysisRunner {
  ask(question: AnalysisQuestion, seq: number): Promise<Uint8Array>;
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
