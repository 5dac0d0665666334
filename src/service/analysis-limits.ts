// Limits of one analysis request: ports a matrix may span, services it may ask about, time any question may take.

export interface AnalysisLimits {
  /** Instance ports of a project a matrix may span. */
  readonly maxPorts: number;
  /** Services one matrix may ask about (at most 32). */
  readonly maxServices: number;
  /** Wall-clock time one analysis may compute, in milliseconds. */
  readonly timeoutMs: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = { maxPorts: 10_000, maxServices: 16, timeoutMs: 10_000 };
