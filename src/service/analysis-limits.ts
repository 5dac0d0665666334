// Limits of one analysis request: ports a matrix may span, services it may ask about, edges it may answer, time any question may take.

export interface AnalysisLimits {
  /** Instance ports of a project a matrix may span. */
  readonly maxPorts: number;
  /** Services one matrix may ask about (at most 32). */
  readonly maxServices: number;
  /** Edges (pairs of instance classes) one matrix answer may hold: past it the answer is refused, not built. */
  readonly maxEdges: number;
  /** Wall-clock time one analysis may compute, in milliseconds. */
  readonly timeoutMs: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = { maxPorts: 10_000, maxServices: 16, maxEdges: 1_000_000, timeoutMs: 10_000 };
